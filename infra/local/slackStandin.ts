/**
 * Local, wire-level stand-in for the Slack Web API methods Greenlight calls. A real `@slack/web-api` WebClient
 * works against it unchanged: `new WebClient(botToken, { slackApiUrl: standin.url })`.
 *
 * Wire protocol as documented (docs.slack.dev/apis/web-api, the method pages and rate-limits):
 * - `POST <base>/<method>` (GET with query arguments too), arguments `application/x-www-form-urlencoded` (object and
 *   array arguments such as `blocks` and `view` arrive as JSON-encoded strings, as the WebClient sends them) or
 *   `application/json`. The token goes in `Authorization: Bearer <token>`, or as a `token` form argument.
 * - Every answer is HTTP 200 with `{ "ok": true, … }` or `{ "ok": false, "error": "<code>" }`: no token →
 *   `not_authed`, a wrong one → `invalid_auth`, an unknown method → `unknown_method`.
 * - Rate limiting is HTTP 429 with `Retry-After: <seconds>` (and `{ ok: false, error: "ratelimited" }`); the WebClient
 *   waits that long and retries. Other non-200 statuses are HTTP errors the WebClient retries with its retryConfig.
 *
 * Methods: auth.test; chat.postMessage (channel plus text, blocks or attachments; else `no_text`) → channel, a unique
 * `1503435956.000247`-style ts and the message; chat.update (unknown ts → `message_not_found`; text/blocks not given
 * are kept, `blocks=[]` removes them); chat.postEphemeral (channel, user) → `message_ts`; views.open (trigger_id or
 * interactivity_pointer, else `invalid_trigger_id`; a trigger is exchanged once, else `exchanged_trigger_id`; view
 * required, JSON object) → the view with a fresh `V…` id. Channels are not checked (inject `channel_not_found`).
 *
 * Messages, ephemeral messages and opened views persist to `statePath` (calls do not). `GET /__slack/messages`,
 * `GET /__slack/calls` and `GET /__slack/views` show them as JSON.
 */

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestBody } from './readRequestBody';
import { loadStateFile, saveStateFile } from './standins/stateFile';

export type SlackArgs = Record<string, unknown>;

/** One request that reached the stand-in, decoded, with what it was answered (the token is never recorded). */
export interface SlackCall {
  method: string;
  /** Arguments with JSON-encoded values (`blocks`, `view`, `attachments`, `metadata`) decoded. */
  args: SlackArgs;
  contentType: string;
  /** HTTP status answered (200 unless a fault was injected). */
  status: number;
  /** The `ok` body answered (absent when an injected 429/5xx answered instead). */
  response?: { ok: boolean; error?: string; [key: string]: unknown };
  /** ISO-8601 arrival time. */
  at: string;
}

/** A posted message as it stands now. */
export interface PostedSlackMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  threadTs?: string;
  metadata?: unknown;
  /** How many chat.update calls changed it. */
  updates: number;
  postedAt: string;
  updatedAt?: string;
}

export interface SlackEphemeralMessage {
  channel: string;
  user: string;
  messageTs: string;
  text?: string;
  blocks?: unknown[];
  threadTs?: string;
  postedAt: string;
}

export interface SlackOpenedView {
  id: string;
  triggerId?: string;
  interactivityPointer?: string;
  view: Record<string, unknown>;
  openedAt: string;
}

export type SlackFault =
  | { status: 429; retryAfterSeconds: number; times?: number }
  | { status: 500 | 503; times?: number }
  | { error: string; times?: number };

export interface SlackStandinOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** JSON file that keeps messages, ephemeral messages and opened views across restarts. */
  statePath?: string;
  /** The only token accepted (`xoxb-…`). */
  botToken: string;
}

export interface SlackStandin {
  /** `http://127.0.0.1:PORT/api/` — pass as the WebClient's `slackApiUrl`. */
  url: string;
  /** Every call in arrival order (not persisted). */
  calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /** Every posted message (not ephemeral ones) as it stands now, in posting order (copies). */
  messages(): PostedSlackMessage[];
  ephemeralMessages(): SlackEphemeralMessage[];
  views(): SlackOpenedView[];
  /** Makes the next `times` (default 1) calls to `method` (`*` = any) fail as given, before anything is applied. */
  failNext(method: string, fault: SlackFault): void;
  /** Drops the faults not yet used. */
  clearFaults(): void;
  /** Forgets messages, views, calls and pending faults. */
  reset(): void;
  close(): Promise<void>;
}

interface SlackState {
  messages: PostedSlackMessage[];
  ephemeral: SlackEphemeralMessage[];
  views: SlackOpenedView[];
  /** Last ts handed out, in microseconds, so every ts is unique and increasing even across restarts. */
  lastTsMicros: number;
}

/** Identity of the stand-in workspace and bot (auth.test, message authorship). */
export const SLACK_STANDIN_IDENTITY = {
  url: 'https://greenlight-local.slack.com/',
  team: 'Greenlight Local',
  team_id: 'T0GREENLIT',
  user: 'greenlight',
  user_id: 'U0GREENBOT',
  bot_id: 'B0GREENBOT',
  app_id: 'A0GREENLIT',
} as const;

const JSON_ARGUMENTS = ['blocks', 'attachments', 'view', 'metadata'];
const MAX_BODY_BYTES = 2 * 1024 * 1024;

class SlackFailure extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

function emptyState(): SlackState {
  return { messages: [], ephemeral: [], views: [], lastTsMicros: 0 };
}

export async function startSlackStandin(options: SlackStandinOptions): Promise<SlackStandin> {
  const { statePath, botToken } = options;
  let state: SlackState = { ...emptyState(), ...(statePath ? loadStateFile<Partial<SlackState>>(statePath) : {}) };
  const calls: SlackCall[] = [];
  let faults: { method: string; fault: SlackFault; remaining: number }[] = [];
  const save = () => {
    if (statePath) saveStateFile(statePath, state);
  };

  const takeFault = (method: string): SlackFault | undefined => {
    const match = faults.find((entry) => entry.method === method || entry.method === '*');
    if (!match) return undefined;
    match.remaining -= 1;
    if (match.remaining <= 0) faults = faults.filter((entry) => entry !== match);
    return match.fault;
  };

  const newTs = (): string => {
    state.lastTsMicros = Math.max(Date.now() * 1000, state.lastTsMicros + 1);
    const seconds = Math.floor(state.lastTsMicros / 1_000_000);
    return `${seconds}.${String(state.lastTsMicros % 1_000_000).padStart(6, '0')}`;
  };

  const methods: Record<string, (args: SlackArgs) => Record<string, unknown>> = {
    'auth.test': () => ({ ...SLACK_STANDIN_IDENTITY, is_enterprise_install: false }),

    'chat.postMessage': (args) => {
      const channel = requireChannel(args);
      const content = messageContent(args);
      if (content.text === undefined && content.blocks === undefined && content.attachments === undefined) {
        throw new SlackFailure('no_text');
      }
      const message: PostedSlackMessage = {
        channel,
        ts: newTs(),
        ...content,
        threadTs: optionalString(args, 'thread_ts'),
        metadata: args.metadata,
        updates: 0,
        postedAt: new Date().toISOString(),
      };
      state.messages.push(message);
      save();
      return { channel, ts: message.ts, message: wireMessage(message) };
    },

    'chat.update': (args) => {
      const channel = requireChannel(args);
      const ts = optionalString(args, 'ts');
      const message = state.messages.find((entry) => entry.channel === channel && entry.ts === ts);
      if (!ts || !message) throw new SlackFailure('message_not_found');
      const content = messageContent(args);
      if (content.text === undefined && content.blocks === undefined && content.attachments === undefined) {
        throw new SlackFailure('no_text');
      }
      if (content.text !== undefined) message.text = content.text;
      if (content.blocks !== undefined) message.blocks = content.blocks.length > 0 ? content.blocks : undefined;
      if (content.attachments !== undefined) {
        message.attachments = content.attachments.length > 0 ? content.attachments : undefined;
      }
      if (args.metadata !== undefined) message.metadata = args.metadata;
      message.updates += 1;
      message.updatedAt = new Date().toISOString();
      save();
      return { channel, ts, text: message.text ?? '', message: wireMessage(message) };
    },

    'chat.postEphemeral': (args) => {
      const channel = requireChannel(args);
      const user = optionalString(args, 'user');
      if (!user) throw new SlackFailure('user_not_in_channel');
      const content = messageContent(args);
      if (content.text === undefined && content.blocks === undefined && content.attachments === undefined) {
        throw new SlackFailure('no_text');
      }
      const ephemeral: SlackEphemeralMessage = {
        channel,
        user,
        messageTs: newTs(),
        text: content.text,
        blocks: content.blocks,
        threadTs: optionalString(args, 'thread_ts'),
        postedAt: new Date().toISOString(),
      };
      state.ephemeral.push(ephemeral);
      save();
      return { message_ts: ephemeral.messageTs };
    },

    'views.open': (args) => {
      const triggerId = optionalString(args, 'trigger_id');
      const interactivityPointer = optionalString(args, 'interactivity_pointer');
      if (!triggerId && !interactivityPointer) throw new SlackFailure('invalid_trigger_id');
      if (triggerId && state.views.some((opened) => opened.triggerId === triggerId)) {
        throw new SlackFailure('exchanged_trigger_id');
      }
      const view = args.view;
      if (typeof view !== 'object' || view === null || Array.isArray(view)) throw new SlackFailure('invalid_arguments');
      const opened: SlackOpenedView = {
        id: `V${randomBytes(5).toString('hex').toUpperCase()}`,
        triggerId,
        interactivityPointer,
        view: view as Record<string, unknown>,
        openedAt: new Date().toISOString(),
      };
      state.views.push(opened);
      save();
      return { view: wireView(opened) };
    },
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'GET' && url.pathname === '/__slack/messages')
      return sendJson(response, 200, state.messages);
    if (request.method === 'GET' && url.pathname === '/__slack/calls') return sendJson(response, 200, calls);
    if (request.method === 'GET' && url.pathname === '/__slack/views') return sendJson(response, 200, state.views);

    const method = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname)?.[1];
    if (!method || (request.method !== 'POST' && request.method !== 'GET')) {
      return sendJson(response, 404, { ok: false, error: 'unknown_method' });
    }
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const call: SlackCall = { method, args: {}, contentType, status: 200, at: new Date().toISOString() };
    calls.push(call);
    const answer = (body: { ok: boolean; error?: string; [key: string]: unknown }) => {
      call.response = body;
      sendJson(response, 200, body);
    };

    let args: SlackArgs;
    let bodyToken: string | undefined;
    try {
      ({ args, token: bodyToken } = decodeArguments(contentType, url, await readBody(request)));
      call.args = args;
    } catch (error) {
      return answer({ ok: false, error: error instanceof SlackFailure ? error.code : 'invalid_form_data' });
    }

    const fault = takeFault(method);
    if (fault && 'error' in fault) return answer({ ok: false, error: fault.error });
    if (fault?.status === 429) {
      call.status = 429;
      response.setHeader('retry-after', String(fault.retryAfterSeconds));
      return sendJson(response, 429, { ok: false, error: 'ratelimited' });
    }
    if (fault) {
      call.status = fault.status;
      return sendJson(response, fault.status, { ok: false, error: 'service_unavailable' });
    }

    const token = bearerToken(request) ?? bodyToken;
    if (!token) return answer({ ok: false, error: 'not_authed' });
    if (token !== botToken) return answer({ ok: false, error: 'invalid_auth' });
    const implementation = methods[method];
    if (!implementation) return answer({ ok: false, error: 'unknown_method', req_method: method });
    try {
      return answer({ ok: true, ...implementation(args) });
    } catch (error) {
      if (!(error instanceof SlackFailure)) throw error;
      return answer({ ok: false, error: error.code });
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('[slack-standin] unexpected failure:', error);
      if (!response.headersSent) sendJson(response, 500, { ok: false, error: 'fatal_error' });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    messages: () => structuredClone(state.messages),
    ephemeralMessages: () => structuredClone(state.ephemeral),
    views: () => structuredClone(state.views),
    failNext(method, fault) {
      faults.push({ method, fault, remaining: fault.times ?? 1 });
    },
    clearFaults() {
      faults = [];
    },
    reset() {
      state = { ...emptyState(), lastTsMicros: state.lastTsMicros };
      calls.length = 0;
      faults = [];
      save();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * The call's arguments: query string, then the form or JSON body. Form values are strings; the arguments Slack
 * documents as "JSON-based … presented as a URL-encoded string" are decoded (undecodable → `invalid_blocks` for
 * blocks, `invalid_arguments` otherwise). `token` is split off and never recorded.
 */
function decodeArguments(contentType: string, url: URL, body: string): { args: SlackArgs; token?: string } {
  const args: SlackArgs = Object.fromEntries(url.searchParams);
  if (body.trim() !== '') {
    if (contentType === 'application/json') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new SlackFailure('invalid_json');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new SlackFailure('invalid_json');
      Object.assign(args, parsed);
    } else if (contentType === 'application/x-www-form-urlencoded' || contentType === '') {
      Object.assign(args, Object.fromEntries(new URLSearchParams(body)));
    } else {
      throw new SlackFailure('invalid_form_data');
    }
  }
  for (const name of JSON_ARGUMENTS) {
    const value = args[name];
    if (typeof value !== 'string') continue;
    try {
      args[name] = JSON.parse(value);
    } catch {
      throw new SlackFailure(name === 'blocks' ? 'invalid_blocks' : 'invalid_arguments');
    }
  }
  const token = typeof args.token === 'string' ? args.token : undefined;
  delete args.token;
  return { args, token };
}

function bearerToken(request: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

function optionalString(args: SlackArgs, name: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : String(value);
}

function requireChannel(args: SlackArgs): string {
  const channel = optionalString(args, 'channel');
  if (!channel) throw new SlackFailure('channel_not_found');
  return channel;
}

function messageContent(args: SlackArgs): { text?: string; blocks?: unknown[]; attachments?: unknown[] } {
  const blocks = args.blocks;
  const attachments = args.attachments;
  if (blocks !== undefined && !Array.isArray(blocks)) throw new SlackFailure('invalid_blocks');
  if (attachments !== undefined && !Array.isArray(attachments)) throw new SlackFailure('invalid_attachments');
  if (Array.isArray(blocks) && blocks.some((block) => typeof block !== 'object' || block === null)) {
    throw new SlackFailure('invalid_blocks');
  }
  return { text: optionalString(args, 'text'), blocks, attachments };
}

function wireMessage(message: PostedSlackMessage): Record<string, unknown> {
  return {
    type: 'message',
    subtype: 'bot_message',
    text: message.text ?? '',
    ts: message.ts,
    user: SLACK_STANDIN_IDENTITY.user_id,
    bot_id: SLACK_STANDIN_IDENTITY.bot_id,
    app_id: SLACK_STANDIN_IDENTITY.app_id,
    team: SLACK_STANDIN_IDENTITY.team_id,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.attachments ? { attachments: message.attachments } : {}),
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    ...(message.updatedAt ? { edited: { user: SLACK_STANDIN_IDENTITY.user_id, ts: message.ts } } : {}),
  };
}

function wireView(opened: SlackOpenedView): Record<string, unknown> {
  const { view } = opened;
  return {
    id: opened.id,
    team_id: SLACK_STANDIN_IDENTITY.team_id,
    type: view.type ?? 'modal',
    title: view.title,
    submit: view.submit,
    close: view.close,
    blocks: view.blocks ?? [],
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id ?? '',
    external_id: view.external_id ?? '',
    state: { values: {} },
    hash: `${Math.floor(Date.parse(opened.openedAt) / 1000)}.${randomBytes(4).toString('hex')}`,
    clear_on_close: view.clear_on_close ?? false,
    notify_on_close: view.notify_on_close ?? false,
    root_view_id: opened.id,
    previous_view_id: null,
    app_id: SLACK_STANDIN_IDENTITY.app_id,
    bot_id: SLACK_STANDIN_IDENTITY.bot_id,
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const body = await readRequestBody(request, MAX_BODY_BYTES, () => new SlackFailure('request_too_large'));
  return body.toString('utf8');
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = `${JSON.stringify(value)}\n`;
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}
