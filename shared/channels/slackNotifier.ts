/**
 * Slack through the Web API client (slackWebApi.ts), which retries rate limits (waiting out Retry-After), 5xx and
 * timeouts itself; what still fails is classified for the use cases — transient (retry later) or a platform refusal
 * (record, stop).
 */
import { NotificationRejectedError, NotificationUnavailableError } from '../app/errors';
import type { SlackMessage, SlackNotifier } from '../app/ports';
import { SlackPlatformError, SlackUnavailableError } from './errors';
import type { SlackArguments, SlackResult, SlackWebApi } from './slackWebApi';

/** Platform errors that a later retry can cure. */
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

function classify(error: unknown): never {
  if (error instanceof SlackPlatformError) {
    if (TRANSIENT_PLATFORM_ERRORS.has(error.error)) {
      throw new NotificationUnavailableError('slack', error.error, { cause: error });
    }
    throw new NotificationRejectedError('slack', error.error, { cause: error });
  }
  if (error instanceof SlackUnavailableError) {
    throw new NotificationUnavailableError('slack', error.reason, { cause: error });
  }
  throw error;
}

export class WebApiSlackNotifier implements SlackNotifier {
  /** `client` may be resolved late: the bot token comes from Parameter Store on first use. */
  constructor(private readonly client: () => Promise<SlackWebApi>) {}

  private async call(method: string, args: SlackArguments): Promise<SlackResult> {
    try {
      return await (await this.client()).call(method, args);
    } catch (error) {
      return classify(error);
    }
  }

  async post(channel: string, message: SlackMessage) {
    const result = await this.call('chat.postMessage', {
      channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
    });
    return { channel: typeof result.channel === 'string' ? result.channel : channel, ts: result.ts as string };
  }

  async update(channel: string, ts: string, message: SlackMessage) {
    await this.call('chat.update', { channel, ts, text: message.text, blocks: message.blocks });
  }

  async reply(channel: string, threadTs: string, message: SlackMessage) {
    await this.call('chat.postMessage', { channel, thread_ts: threadTs, text: message.text, blocks: message.blocks });
  }

  async postEphemeral(channel: string, user: string, text: string) {
    await this.call('chat.postEphemeral', { channel, user, text });
  }

  async openModal(triggerId: string, view: unknown) {
    await this.call('views.open', { trigger_id: triggerId, view: view as object });
  }
}
