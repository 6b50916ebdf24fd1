/**
 * notify: brings every surface in line with the approval's current state — posts its Slack message, then updates it
 * once per state change; e-mails each approver their own review link while it is pending. Delivery state lives in
 * its own item: a Slack or SES failure never blocks or loses the approval, it is recorded and retried (Lambda's
 * retries of this event, then the schedule's sweep); a permanent refusal is recorded and stops the retries.
 */
import { type Approval, toPublicApproval } from '../domain/approval';
import type { NotificationRouting } from '../domain/policy';
import type { ApprovalStore } from '../store/approvalStore';
import type { DeliveryState, DeliveryStore } from '../store/deliveryStore';
import { DeliveryConflictError } from '../store/errors';
import { NotificationRejectedError, NotificationUnavailableError } from './errors';
import type { ApprovalRendering, Clock, EmailSender, Log, SlackNotifier } from './ports';

export interface NotifyDependencies {
  approvals: ApprovalStore;
  deliveries: DeliveryStore;
  slack: SlackNotifier;
  email: EmailSender;
  routing: (approval: Approval) => NotificationRouting;
  /** The review link for one approver (signed for that identity). */
  reviewLink: (approvalId: string, approver: string) => Promise<string>;
  render: ApprovalRendering;
  clock: Clock;
  log: Log;
  /** Pending approvals older than this get reminders. */
  remindAfterSeconds: number;
  /** The least time between two reminders of one approval. */
  reminderIntervalSeconds: number;
  /** Waits while another notifier holds the deliveries (tests may make it instant). */
  pause?: (ms: number) => Promise<void>;
}

export interface NotifyOutcome {
  approvalId: string;
  slack: 'posted' | 'updated' | 'up-to-date' | 'not-configured' | 'failed' | 'retrying';
  emailsSent: number;
  /** Deliveries that failed for now and are worth retrying. */
  retry: boolean;
}

const MAX_SAVE_ATTEMPTS = 3;

function describeFailure(error: unknown): string {
  if (error instanceof NotificationRejectedError) return error.reason;
  return error instanceof Error ? error.name : 'unknown error';
}

export async function notifyApprovers(deps: NotifyDependencies, approvalId: string): Promise<NotifyOutcome> {
  const approval = await deps.approvals.get(approvalId);
  if (!approval) return { approvalId, slack: 'not-configured', emailsSent: 0, retry: false };
  const routing = deps.routing(approval);
  const shown = toPublicApproval(approval);

  const outcome: NotifyOutcome = { approvalId, slack: 'not-configured', emailsSent: 0, retry: false };
  await withDeliveryState(deps, approvalId, async (state) => {
    const now = deps.clock.now();
    outcome.slack = 'not-configured';
    if (routing.slackChannel) {
      const previous = state.slack;
      if (previous?.status === 'failed') {
        outcome.slack = 'failed';
      } else if (previous && previous.renderedVersion >= approval.version && previous.ts) {
        outcome.slack = 'up-to-date';
      } else {
        const message = deps.render.slackMessage(shown, now);
        try {
          if (previous?.ts) {
            await deps.slack.update(previous.channel, previous.ts, message);
            state.slack = {
              ...previous,
              renderedVersion: approval.version,
              status: 'delivered',
              updatedAt: now.toISOString(),
            };
            outcome.slack = 'updated';
          } else {
            const posted = await deps.slack.post(routing.slackChannel, message);
            state.slack = {
              channel: posted.channel,
              ts: posted.ts,
              renderedVersion: approval.version,
              status: 'delivered',
              attempts: (previous?.attempts ?? 0) + 1,
              updatedAt: now.toISOString(),
            };
            outcome.slack = 'posted';
          }
        } catch (error) {
          const permanent = error instanceof NotificationRejectedError;
          if (!permanent && !(error instanceof NotificationUnavailableError)) throw error;
          state.slack = {
            channel: previous?.channel ?? routing.slackChannel,
            ...(previous?.ts ? { ts: previous.ts } : {}),
            renderedVersion: previous?.renderedVersion ?? 0,
            status: permanent ? 'failed' : 'retrying',
            attempts: (previous?.attempts ?? 0) + 1,
            lastError: describeFailure(error),
            updatedAt: now.toISOString(),
          };
          outcome.slack = permanent ? 'failed' : 'retrying';
          outcome.retry ||= !permanent;
          deps.log.warn('slack delivery failed', { approvalId, permanent, error: describeFailure(error) });
        }
      }
    }

    // E-mails invite people to decide: only while the approval is pending, once per recipient.
    if (approval.status !== 'pending') return;
    for (const address of routing.emailRecipients) {
      const previous = state.emails[address];
      if (previous?.status === 'sent' || previous?.status === 'failed') continue;
      try {
        const email = deps.render.email(shown, {
          recipient: address,
          reviewUrl: await deps.reviewLink(approval.id, `email:${address}`),
          now,
        });
        const { messageId } = await deps.email.send({ to: address, ...email });
        state.emails[address] = {
          status: 'sent',
          messageId,
          attempts: (previous?.attempts ?? 0) + 1,
          updatedAt: now.toISOString(),
        };
        outcome.emailsSent += 1;
      } catch (error) {
        const permanent = error instanceof NotificationRejectedError;
        if (!permanent && !(error instanceof NotificationUnavailableError)) throw error;
        state.emails[address] = {
          status: permanent ? 'failed' : 'retrying',
          attempts: (previous?.attempts ?? 0) + 1,
          lastError: describeFailure(error),
          updatedAt: now.toISOString(),
        };
        outcome.retry ||= !permanent;
        deps.log.warn('email delivery failed', { approvalId, permanent, error: describeFailure(error) });
      }
    }
  });
  if (outcome.retry) {
    // Let the invocation fail so Lambda retries it; what was delivered is recorded and will not be sent twice.
    throw new NotificationUnavailableError(
      outcome.slack === 'retrying' ? 'slack' : 'email',
      'some notifications must be retried',
    );
  }
  return outcome;
}

/** How long a claim on an approval's deliveries lasts: well beyond one notify invocation (10 s timeout). */
const CLAIM_SECONDS = 60;
/** How long (ms) a notifier waits, again and again, for another's claim to end before it gives up (Lambda retries). */
const CLAIM_WAITS_MS = [50, 100, 200, 400, 800, 1600];

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `deliver` on the current delivery state and saves what it recorded. Before anything is sent, one conditional
 * write claims the deliveries: of two notifiers at the same moment only one sends, the other waits for its claim to
 * end and then works from what the first recorded (an update instead of a second post). A claim left by a notifier
 * that died expires after CLAIM_SECONDS.
 */
async function withDeliveryState(
  deps: NotifyDependencies,
  approvalId: string,
  deliver: (state: DeliveryState) => Promise<void>,
): Promise<void> {
  let waits = 0;
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.deliveries.get(approvalId);
    const now = deps.clock.now();
    if (stored?.claimedUntil !== undefined && Date.parse(stored.claimedUntil) > now.getTime()) {
      const wait = CLAIM_WAITS_MS[waits++];
      if (wait === undefined) {
        throw new NotificationUnavailableError('slack', 'another notifier is delivering this approval');
      }
      await (deps.pause ?? pause)(wait);
      continue;
    }
    const { claimedUntil: _expired, ...current } = stored ?? { approvalId, revision: 0, emails: {} };
    const claim: DeliveryState = {
      ...structuredClone(current),
      revision: current.revision + 1,
      claimedUntil: new Date(now.getTime() + CLAIM_SECONDS * 1000).toISOString(),
    };
    try {
      await deps.deliveries.save(claim);
    } catch (error) {
      if (!(error instanceof DeliveryConflictError) || attempt >= MAX_SAVE_ATTEMPTS + CLAIM_WAITS_MS.length)
        throw error;
      continue;
    }
    const state: DeliveryState = { ...structuredClone(current), revision: claim.revision + 1 };
    try {
      await deliver(state);
    } finally {
      // What was sent is recorded (and the claim released) even when something unexpected ended the delivery.
      await deps.deliveries.save(state);
    }
    return;
  }
}

/**
 * The schedule's follow-up of a pending approval: first every delivery is made good (a lost "Approval Opened" event, a
 * Slack message or e-mail still `retrying`), then, once it has waited `remindAfterSeconds`, a reminder — a reply in its
 * Slack thread and the e-mail again, at most once per reminder interval. Best effort: what fails is logged and the
 * next sweep tries again.
 */
export async function followUpApprovers(
  deps: NotifyDependencies,
  approvalId: string,
): Promise<{ delivered: NotifyOutcome | 'retrying'; reminded: boolean }> {
  let delivered: NotifyOutcome | 'retrying';
  try {
    delivered = await notifyApprovers(deps, approvalId);
  } catch (error) {
    if (!(error instanceof NotificationUnavailableError)) throw error;
    delivered = 'retrying';
  }
  return { delivered, reminded: (await remindApprovers(deps, approvalId)).reminded };
}

async function remindApprovers(deps: NotifyDependencies, approvalId: string): Promise<{ reminded: boolean }> {
  const approval = await deps.approvals.get(approvalId);
  if (approval?.status !== 'pending') return { reminded: false };
  const now = deps.clock.now();
  if (now.getTime() - Date.parse(approval.createdAt) < deps.remindAfterSeconds * 1000) return { reminded: false };
  let reminded = false;
  await withDeliveryState(deps, approvalId, async (state) => {
    const last = state.lastRemindedAt ? Date.parse(state.lastRemindedAt) : 0;
    reminded = now.getTime() - last >= deps.reminderIntervalSeconds * 1000;
    if (!reminded) return;
    state.lastRemindedAt = now.toISOString();
    const shown = toPublicApproval(approval);
    const reminder = deps.render.slackReminder(shown, now);
    try {
      if (state.slack?.ts) await deps.slack.reply(state.slack.channel, state.slack.ts, reminder);
      for (const address of deps.routing(approval).emailRecipients) {
        const email = deps.render.email(shown, {
          recipient: address,
          reviewUrl: await deps.reviewLink(approval.id, `email:${address}`),
          now,
        });
        await deps.email.send({ to: address, ...email, subject: `[Reminder] ${email.subject}` });
      }
    } catch (error) {
      if (!(error instanceof NotificationRejectedError) && !(error instanceof NotificationUnavailableError))
        throw error;
      deps.log.warn('reminder delivery failed', { approvalId, error: describeFailure(error) });
    }
  });
  return { reminded };
}
