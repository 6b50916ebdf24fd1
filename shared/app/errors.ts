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
