/**
 * Slack through @slack/web-api: the client retries rate limits (waiting out Retry-After) and 5xx itself; what still
 * fails is classified for the use cases — transient (retry later) or a platform refusal (record, stop).
 */
import { ErrorCode, type WebClient } from '@slack/web-api';
import { NotificationRejectedError, NotificationUnavailableError } from '../app/errors';
import type { SlackMessage, SlackNotifier } from '../app/ports';

/** Platform errors that a later retry can cure. */
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

function classify(error: unknown): never {
  const coded = error as { code?: string; data?: { error?: string } };
  if (coded.code === ErrorCode.PlatformError) {
    const reason = coded.data?.error ?? 'unknown_error';
    if (TRANSIENT_PLATFORM_ERRORS.has(reason))
      throw new NotificationUnavailableError('slack', reason, { cause: error });
    throw new NotificationRejectedError('slack', reason, { cause: error });
  }
  if (
    coded.code === ErrorCode.RequestError ||
    coded.code === ErrorCode.HTTPError ||
    coded.code === ErrorCode.RateLimitedError
  ) {
    throw new NotificationUnavailableError('slack', coded.code, { cause: error });
  }
  throw error;
}

export class WebApiSlackNotifier implements SlackNotifier {
  /** `client` may be resolved late: the bot token comes from Parameter Store on first use. */
  constructor(private readonly client: () => Promise<WebClient>) {}

  async post(channel: string, message: SlackMessage) {
    try {
      const result = await (await this.client()).chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks as never,
        unfurl_links: false,
      });
      return { channel: result.channel ?? channel, ts: result.ts as string };
    } catch (error) {
      return classify(error);
    }
  }

  async update(channel: string, ts: string, message: SlackMessage) {
    try {
      await (await this.client()).chat.update({ channel, ts, text: message.text, blocks: message.blocks as never });
    } catch (error) {
      classify(error);
    }
  }

  async reply(channel: string, threadTs: string, message: SlackMessage) {
    try {
      await (await this.client()).chat.postMessage({
        channel,
        thread_ts: threadTs,
        text: message.text,
        blocks: message.blocks as never,
      });
    } catch (error) {
      classify(error);
    }
  }

  async postEphemeral(channel: string, user: string, text: string) {
    try {
      await (await this.client()).chat.postEphemeral({ channel, user, text });
    } catch (error) {
      classify(error);
    }
  }

  async openModal(triggerId: string, view: unknown) {
    try {
      await (await this.client()).views.open({ trigger_id: triggerId, view: view as never });
    } catch (error) {
      classify(error);
    }
  }
}
