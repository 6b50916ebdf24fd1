import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackPlatformError, SlackUnavailableError } from '../../../shared/channels/errors';
import { SlackWebApi, type SlackWebApiOptions } from '../../../shared/channels/slackWebApi';

/** Answers each request with the next scripted reply (the last one repeats); records what it received. */
type Reply = { status: number; headers?: Record<string, string>; body?: unknown } | 'hang';
let script: Reply[] = [];
const received: Array<{ url: string; headers: IncomingMessage['headers']; body: string }> = [];
const hanging: ServerResponse[] = [];

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    received.push({ url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
    const reply = script.length > 1 ? script.shift() : script[0];
    if (reply === undefined || reply === 'hang') {
      hanging.push(response);
      return;
    }
    response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    response.end(JSON.stringify(reply.body ?? {}));
  });
});
let baseUrl = '';

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(() => {
  for (const response of hanging) response.destroy();
  server.close();
});
beforeEach(() => {
  script = [];
  received.length = 0;
});

function client(overrides: Partial<SlackWebApiOptions> = {}) {
  const pauses: number[] = [];
  const api = new SlackWebApi('xoxb-test', {
    baseUrl,
    retries: 3,
    timeoutMs: 5000,
    maxRetryAfterMs: 5000,
    sleep: async (ms) => void pauses.push(ms),
    ...overrides,
  });
  return { api, pauses };
}

describe('SlackWebApi', () => {
  it('posts form-encoded arguments (objects as JSON) with the bot token to the base URL + method', async () => {
    script = [{ status: 200, body: { ok: true, channel: 'C1', ts: '1.2' } }];
    const result = await client().api.call('chat.postMessage', {
      channel: 'C1',
      text: 'hi',
      blocks: [{ type: 'section' }],
      unfurl_links: false,
      thread_ts: undefined,
    });
    expect(result).toMatchObject({ ok: true, channel: 'C1', ts: '1.2' });
    const [request] = received;
    expect(request?.url).toBe('/api/chat.postMessage');
    expect(request?.headers.authorization).toBe('Bearer xoxb-test');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      channel: 'C1',
      text: 'hi',
      blocks: '[{"type":"section"}]',
      unfurl_links: 'false',
    });
  });

  it('waits out a 429 for its Retry-After, then retries', async () => {
    script = [
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 200, body: { ok: true } },
    ];
    const { api, pauses } = client();
    await expect(api.call('chat.update', {})).resolves.toMatchObject({ ok: true });
    expect(pauses).toEqual([2000]);
    expect(received).toHaveLength(2);
  });

  it('gives up on a Retry-After longer than it may wait: ratelimited, for a later retry', async () => {
    script = [{ status: 429, headers: { 'retry-after': '30' } }];
    const error = await client()
      .api.call('chat.update', {})
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SlackUnavailableError);
    expect((error as SlackUnavailableError).reason).toBe('ratelimited');
    expect(received).toHaveLength(1);
  });

  it('retries 5xx with growing pauses, and names the status when they never stop', async () => {
    script = [{ status: 503 }];
    const { api, pauses } = client();
    const error = await api.call('chat.update', {}).catch((caught: unknown) => caught);
    expect((error as SlackUnavailableError).reason).toBe('http_503');
    expect(received).toHaveLength(4);
    expect(pauses).toEqual([200, 400, 800]);
  });

  it('cuts short an attempt that does not answer in time, and retries it', async () => {
    script = ['hang', { status: 200, body: { ok: true } }];
    await expect(client({ timeoutMs: 50 }).api.call('views.open', {})).resolves.toMatchObject({ ok: true });
    script = ['hang'];
    const error = await client({ timeoutMs: 50, retries: 0 })
      .api.call('views.open', {})
      .catch((caught: unknown) => caught);
    expect((error as SlackUnavailableError).reason).toBe('timeout');
  });

  it("hands Slack's own refusal back as a platform error, without retrying it", async () => {
    script = [{ status: 200, body: { ok: false, error: 'channel_not_found' } }];
    const error = await client()
      .api.call('chat.postMessage', {})
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SlackPlatformError);
    expect((error as SlackPlatformError).error).toBe('channel_not_found');
    expect(received).toHaveLength(1);
  });
});
