import type { SourceKind } from '../domain/approval';

/** Errors of the use cases' outbound channels, as the adapters classify the providers' failures. */
export type NotificationChannel = 'slack' | 'email';

/** The provider could not take the message now (rate limited, 5xx, timeout): try again later. */
export class NotificationUnavailableError extends Error {
  override readonly name = 'NotificationUnavailableError';
  constructor(
    readonly channel: NotificationChannel,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The provider refused the message for good (unknown channel, bad address, revoked token): record it, stop. */
export class NotificationRejectedError extends Error {
  override readonly name = 'NotificationRejectedError';
  constructor(
    readonly channel: NotificationChannel,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${channel} refused the notification: ${reason}`, options);
  }
}

// ── sources ─────────────────────────────────────────────────────────────────────────────────────────────────────────

export interface EventIssue {
  /** Where in the event, e.g. `detail.taskToken`. Never the value: values may be secrets. */
  path: string;
  message: string;
}

/**
 * An event we cannot turn into a waiting item. Retrying cannot fix it, so it ends in the dead-letter queue.
 * The message names paths and rules only, never values (a task token must not reach the logs).
 */
export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
  constructor(
    readonly source: SourceKind | undefined,
    readonly reason: string,
    readonly issues: EventIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(
      issues.length === 0
        ? reason
        : `${reason}: ${issues.map((issue) => `${issue.path || '(event)'}: ${issue.message}`).join('; ')}`,
      options,
    );
  }
}

/** The source could not take the answer now (throttled, 5xx, network): retry later; nothing is lost. */
export class SourceUnavailableError extends Error {
  override readonly name = 'SourceUnavailableError';
  constructor(
    readonly source: SourceKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
