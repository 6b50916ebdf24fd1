/**
 * A click or modal submission in Slack → the same decide use case as every other channel, as `slack:<user id>`.
 * A refusal (not an approver, already decided, …) changes nothing and is told to the clicker alone (ephemeral).
 * The message itself is brought up to date by notify, like after a decision from any other channel.
 */
import { toPublicApproval } from '../domain/approval';
import { ApprovalNotFoundError, isDecisionRefusal } from '../domain/errors';
import { type DecideDependencies, decideApproval } from './decideApproval';
import { NotificationRejectedError, NotificationUnavailableError } from './errors';
import type { ApprovalRendering, SlackNotifier } from './ports';

export type SlackInteraction =
  | { kind: 'decision'; approvalId: string; decision: 'approve' | 'reject'; user: string; channel?: string }
  | { kind: 'open-comment-modal'; approvalId: string; triggerId: string }
  | { kind: 'comment-submitted'; approvalId: string; decision: 'approve' | 'reject'; user: string; comment?: string };

/** What Slack gets back: nothing (200, empty), or errors to show in the modal. */
export type SlackInteractionReply = undefined | { response_action: 'errors'; errors: Record<string, string> };

export interface SlackInteractionDependencies extends DecideDependencies {
  slack: SlackNotifier;
  render: Pick<ApprovalRendering, 'commentModal' | 'refusalText'>;
}

export async function applySlackInteraction(
  deps: SlackInteractionDependencies,
  interaction: SlackInteraction,
): Promise<SlackInteractionReply> {
  if (interaction.kind === 'open-comment-modal') {
    const approval = await deps.store.get(interaction.approvalId);
    if (!approval) throw new ApprovalNotFoundError(interaction.approvalId);
    await bestEffort(deps, interaction.approvalId, () =>
      deps.slack.openModal(interaction.triggerId, deps.render.commentModal(toPublicApproval(approval))),
    );
    return undefined;
  }
  try {
    await decideApproval(deps, {
      approvalId: interaction.approvalId,
      decision: interaction.decision,
      approver: `slack:${interaction.user}`,
      channel: 'slack',
      ...(interaction.kind === 'comment-submitted' && interaction.comment ? { comment: interaction.comment } : {}),
    });
    return undefined;
  } catch (error) {
    if (!isDecisionRefusal(error)) throw error;
    deps.log.info('slack decision refused', { approvalId: interaction.approvalId, refusal: error.name });
    if (interaction.kind === 'comment-submitted') {
      return { response_action: 'errors', errors: { comment: deps.render.refusalText(error.message) } };
    }
    const { channel } = interaction;
    if (channel) {
      await bestEffort(deps, interaction.approvalId, () =>
        deps.slack.postEphemeral(channel, interaction.user, deps.render.refusalText(error.message)),
      );
    }
    return undefined;
  }
}

/** A reply that only informs the clicker: if Slack refuses it, Slack already got its 200 and nothing else changes. */
async function bestEffort(deps: SlackInteractionDependencies, approvalId: string, reply: () => Promise<void>) {
  try {
    await reply();
  } catch (error) {
    if (!(error instanceof NotificationRejectedError) && !(error instanceof NotificationUnavailableError)) throw error;
    deps.log.warn('slack reply failed', { approvalId, error: error.name });
  }
}
