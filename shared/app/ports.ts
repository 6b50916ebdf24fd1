/** Small ports the use cases take besides the store and the sources. */

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
  publish(type: ApprovalEventType, approval: import('../domain/approval').Approval): Promise<void>;
}

/** A rendered Slack message (Block Kit). */
export interface SlackMessage {
  text: string;
  blocks: unknown[];
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

/** E-mail, as the use cases need it. Adapters throw NotificationUnavailableError / NotificationRejectedError. */
export interface EmailSender {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
