/** The approval's looks on Slack and in e-mail, as the notify and Slack use cases take them (ApprovalRendering). */
import type { ApprovalRendering } from '../app/ports';
import { consoleLinksFor } from '../sources/sourcePresentations';
import { approvalEmail } from './approvalEmail';
import { timeLeft } from './reviewPages';
import { approvalMessage, commentModal, refusalMessage, reminderMessage } from './slackMessages';

/** `region`: where console links point when the workflow's reference names none. */
export function approvalRendering(region: string): ApprovalRendering {
  return {
    slackMessage: (approval, now) =>
      approvalMessage(approval, { now, consoleLinks: consoleLinksFor(approval, region) }),
    slackReminder: (approval, now) => reminderMessage(approval.title, timeLeft(approval.expiresAt, now)),
    email: (approval, options) =>
      approvalEmail(approval, { ...options, consoleLinks: consoleLinksFor(approval, region) }),
    commentModal,
    refusalText: (reason) => refusalMessage(reason).text,
  };
}
