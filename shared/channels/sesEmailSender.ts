/** E-mail through SES v2 SendEmail (the SDK retries throttling and 5xx); failures classified for the use cases. */
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { NotificationRejectedError, NotificationUnavailableError } from '../app/errors';
import type { EmailSender, OutgoingEmail } from '../app/ports';

/** SES refusals that no retry will cure (documented SendEmail errors). */
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'BadRequestException',
  'NotFoundException',
]);

export class SesEmailSender implements EmailSender {
  constructor(
    private readonly client: SESv2Client,
    private readonly fromAddress: string,
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    try {
      const output = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.fromAddress,
          Destination: { ToAddresses: [email.to] },
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: email.text, Charset: 'UTF-8' }, Html: { Data: email.html, Charset: 'UTF-8' } },
            },
          },
        }),
      );
      return { messageId: output.MessageId ?? '' };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'unknown';
      if (PERMANENT.has(name)) throw new NotificationRejectedError('email', name, { cause: error });
      // Anything SES or the network answered (throttling, 5xx, timeouts) is worth a retry; a bug of ours is not.
      const fromService = typeof error === 'object' && error !== null && ('$metadata' in error || 'code' in error);
      if (fromService) throw new NotificationUnavailableError('email', name, { cause: error });
      throw error;
    }
  }
}
