/**
 * The few Slack Web API methods Greenlight calls, over fetch. It replaces @slack/web-api, whose axios and form-data
 * were about 230 KiB of each Slack function's bundle; slack-web-api-client (fetch, no dependencies) was the
 * candidate, but it builds its own Request without a signal, so a call that hangs could not be cut short.
 *
 * Sent as @slack/web-api sends them (POST, form-encoded, objects as JSON, the token in `Authorization: Bearer`), to
 * `baseUrl` + method (SLACK_API_URL: the local stand-in and tests override it). Each attempt has a timeout; a 429 is
 * retried after its Retry-After, 5xx, network errors and timeouts after a growing pause (200 ms, 400 ms, 800 ms, at
 * most 2 s), `retries` times; `{ ok: false }` is Slack's answer and is not retried here (the caller classifies it).
 */
import { SlackPlatformError, SlackUnavailableError } from './errors';

export interface SlackWebApiOptions {
  baseUrl: string;
  /** Retries after the first attempt. */
  retries: number;
  /** Per attempt. */
  timeoutMs: number;
  /** The longest Retry-After waited out; a longer one ends the call as `ratelimited` (Lambda's retry comes later). */
  maxRetryAfterMs: number;
  /** Tests may make the pauses instant. */
  sleep?: (ms: number) => Promise<void>;
}

export type SlackArguments = Record<string, string | number | boolean | object | undefined>;
export type SlackResult = { ok: true } & Record<string, unknown>;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const backoffMs = (attempt: number) => Math.min(200 * 2 ** attempt, 2000);

function formBody(args: SlackArguments): URLSearchParams {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined) continue;
    form.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return form;
}

export class SlackWebApi {
  private readonly baseUrl: string;

  constructor(
    private readonly token: string,
    private readonly options: SlackWebApiOptions,
  ) {
    this.baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  }

  async call(method: string, args: SlackArguments): Promise<SlackResult> {
    const sleep = this.options.sleep ?? wait;
    const body = formBody(args).toString();
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.options.retries;
      let response: Response;
      try {
        response = await fetch(`${this.baseUrl}${method}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${this.token}`,
            'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
      } catch (error) {
        const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'network';
        if (last) throw new SlackUnavailableError(method, reason, { cause: error });
        await sleep(backoffMs(attempt));
        continue;
      }
      if (response.status === 429) {
        await response.body?.cancel();
        const retryAfterMs = Number(response.headers.get('retry-after') ?? '1') * 1000;
        if (last || !Number.isFinite(retryAfterMs) || retryAfterMs > this.options.maxRetryAfterMs) {
          throw new SlackUnavailableError(method, 'ratelimited');
        }
        await sleep(Math.max(0, retryAfterMs));
        continue;
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        if (last || response.status < 500) throw new SlackUnavailableError(method, `http_${response.status}`);
        await sleep(backoffMs(attempt));
        continue;
      }
      let result: { ok?: boolean; error?: string };
      try {
        result = (await response.json()) as typeof result;
      } catch (error) {
        throw new SlackUnavailableError(method, 'malformed_response', { cause: error });
      }
      if (result.ok !== true) throw new SlackPlatformError(method, result.error ?? 'unknown_error');
      return result as SlackResult;
    }
  }
}
