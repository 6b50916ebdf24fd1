/** Small ports the use cases take besides the store and the sources. */
import type { Approval, PublicApproval } from '../domain/approval';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The part of the Powertools Logger the use cases need; attributes must never carry secrets. */
export interface Log {
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

/** Greenlight's own outbound events (EventBridge, source `greenlight`): public views only, never a task token. */
export type ApprovalEventType =
  | 'Approval Opened'
  | 'Approval Vote Recorded'
  | 'Approval Decided'
  | 'Approval Closed'
  /** The schedule found an approval pending for long: the notifier reminds the approvers if one is due. */
  | 'Approval Reminder Due';

export interface ApprovalEventPublisher {
  publish(type: ApprovalEventType, approval: Approval): Promise<void>;
}

/** A rendered Slack message (Block Kit): the notification / fallback text and the blocks. */
export interface SlackMessage<Block = unknown> {
  text: string;
  blocks: Block[];
}

/** Slack, as the use cases need it. Adapters throw NotificationUnavailableError / NotificationRejectedError. */
export interface SlackNotifier {
  post(channel: string, message: SlackMessage): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  /** A short reply in the message's thread (reminders). */
  reply(channel: string, threadTs: string, message: SlackMessage): Promise<void>;
  postEphemeral(channel: string, user: string, text: string): Promise<void>;
  openModal(triggerId: string, view: unknown): Promise<void>;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * How an approval looks on each outbound surface (shared/channels renders it); the use cases decide when to send.
 * Every method takes the public view only: nothing secret can reach a message.
 */
export interface ApprovalRendering {
  /** The Slack message of the approval in its current state. */
  slackMessage(approval: PublicApproval, now: Date): SlackMessage;
  /** A short reminder in the message's thread. */
  slackReminder(approval: PublicApproval, now: Date): SlackMessage;
  /** The e-mail inviting `recipient` to decide through their own review link. */
  email(
    approval: PublicApproval,
    options: { recipient: string; reviewUrl: string; now: Date },
  ): Omit<OutgoingEmail, 'to'>;
  /** The Slack modal asking for a comment with the decision. */
  commentModal(approval: PublicApproval): unknown;
  /** The text that tells a Slack user why their click changed nothing. */
  refusalText(reason: string): string;
}

/** E-mail, as the use cases need it. Adapters throw NotificationUnavailableError / NotificationRejectedError. */
export interface EmailSender {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
