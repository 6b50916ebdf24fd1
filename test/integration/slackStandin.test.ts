import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackStandin, startSlackStandin } from '../../infra/local/slackStandin';

const botToken = 'xoxb-1234-5678-standin';
let standin: SlackStandin;
let stateDir: string | undefined;

function slack(token = botToken): WebClient {
  return new WebClient(token, {
    slackApiUrl: standin.url,
    logLevel: LogLevel.ERROR,
    retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 },
  });
}

const blocks = [
  { type: 'header', text: { type: 'plain_text', text: 'Approval needed: Deploy 🚀', emoji: true } },
  {
    type: 'section',
    text: { type: 'mrkdwn', text: '*Deploy* is waiting & needs <https://greenlight.example/r/a?b=1|review>' },
  },
  {
    type: 'actions',
    block_id: 'decide',
    elements: [
      { type: 'button', action_id: 'approve', style: 'primary', value: 'a1', text: { type: 'plain_text', text: 'OK' } },
      { type: 'button', action_id: 'reject', style: 'danger', value: 'a1', text: { type: 'plain_text', text: 'No' } },
    ],
  },
];

beforeEach(async () => {
  standin = await startSlackStandin({ botToken });
});

afterEach(async () => {
  await standin.close();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  stateDir = undefined;
});

describe('Slack stand-in', () => {
  it('auth.test answers the bot identity', async () => {
    // Act
    const result = await slack().auth.test();
    // Assess
    expect(result).toMatchObject({ ok: true, user_id: 'U0GREENBOT', team_id: 'T0GREENLIT', bot_id: 'B0GREENBOT' });
  });

  it('chat.postMessage then chat.update: messages() shows the update, blocks round-trip exactly', async () => {
    // Prepare
    const client = slack();
    const posted = await client.chat.postMessage({ channel: 'C0APPROVALS', text: 'Approval needed', blocks });
    const second = await client.chat.postMessage({ channel: 'C0APPROVALS', text: 'another' });
    // Act
    const updated = await client.chat.update({
      channel: 'C0APPROVALS',
      ts: posted.ts as string,
      text: 'Approved by alice',
      blocks: [blocks[0] as never],
    });
    // Assess
    expect(posted).toMatchObject({ ok: true, channel: 'C0APPROVALS', message: { text: 'Approval needed', blocks } });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(second.ts).not.toBe(posted.ts);
    expect(updated).toMatchObject({ ok: true, channel: 'C0APPROVALS', ts: posted.ts, text: 'Approved by alice' });
    expect(standin.messages()).toEqual([
      expect.objectContaining({
        channel: 'C0APPROVALS',
        ts: posted.ts,
        text: 'Approved by alice',
        blocks: [blocks[0]],
        updates: 1,
      }),
      expect.objectContaining({ ts: second.ts, text: 'another', updates: 0 }),
    ]);
    expect(standin.callsTo('chat.postMessage')[0]).toMatchObject({
      contentType: 'application/x-www-form-urlencoded',
      args: { channel: 'C0APPROVALS', text: 'Approval needed', blocks },
    });
    expect(JSON.stringify(standin.calls)).not.toContain(botToken);
  });

  it('chat.update on an unknown ts fails with message_not_found', async () => {
    // Act
    const error = await slack()
      .chat.update({ channel: 'C0APPROVALS', ts: '1503435956.000247', text: 'x' })
      .catch((caught: unknown) => caught);
    // Assess
    expect(error).toMatchObject({ code: ErrorCode.PlatformError, data: { ok: false, error: 'message_not_found' } });
  });

  it('a wrong token is invalid_auth, a missing one not_authed', async () => {
    // Act
    const wrong = await slack('xoxb-wrong')
      .chat.postMessage({ channel: 'C1', text: 'hi' })
      .catch((caught: unknown) => caught);
    const missing = await fetch(`${standin.url}auth.test`, { method: 'POST' }).then((response) => response.json());
    // Assess
    expect(wrong).toMatchObject({ code: ErrorCode.PlatformError, data: { error: 'invalid_auth' } });
    expect(missing).toEqual({ ok: false, error: 'not_authed' });
    expect(standin.messages()).toEqual([]);
  });

  it('accepts a JSON body and a token form argument', async () => {
    // Act
    const json = await fetch(`${standin.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${botToken}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C1', text: 'json', blocks }),
    }).then((response) => response.json());
    const form = await fetch(`${standin.url}chat.postMessage`, {
      method: 'POST',
      body: new URLSearchParams({ token: botToken, channel: 'C1', text: 'form' }),
    }).then((response) => response.json());
    // Assess
    expect(json).toMatchObject({ ok: true, message: { blocks } });
    expect(form).toMatchObject({ ok: true, message: { text: 'form' } });
    expect(standin.messages().map((message) => message.text)).toEqual(['json', 'form']);
  });

  it('waits out a 429 Retry-After and retries to success', async () => {
    // Prepare
    standin.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    // Act
    const result = await slack().chat.postMessage({ channel: 'C1', text: 'hello' });
    // Assess
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(standin.callsTo('chat.postMessage').map((call) => call.status)).toEqual([429, 200]);
    expect(standin.messages()).toHaveLength(1);
  });

  it('retries a 500 and a 503 to success', async () => {
    // Prepare
    standin.failNext('chat.postMessage', { status: 500 });
    standin.failNext('*', { status: 503 });
    // Act
    const result = await slack().chat.postMessage({ channel: 'C1', text: 'hello' });
    // Assess
    expect(result.ok).toBe(true);
    expect(standin.callsTo('chat.postMessage').map((call) => call.status)).toEqual([500, 503, 200]);
    expect(standin.messages()).toHaveLength(1);
  });

  it('an injected platform error is thrown once, without retry', async () => {
    // Prepare
    standin.failNext('chat.postMessage', { error: 'channel_not_found' });
    const client = slack();
    // Act
    const error = await client.chat.postMessage({ channel: 'C1', text: 'x' }).catch((caught: unknown) => caught);
    const after = await client.chat.postMessage({ channel: 'C1', text: 'y' });
    // Assess
    expect(error).toMatchObject({ code: ErrorCode.PlatformError, data: { error: 'channel_not_found' } });
    expect(after.ok).toBe(true);
    expect(standin.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('chat.postEphemeral answers message_ts; views.open answers the view and refuses bad triggers', async () => {
    // Prepare
    const client = slack();
    const view = {
      type: 'modal' as const,
      callback_id: 'reject_reason',
      private_metadata: 'a1',
      title: { type: 'plain_text' as const, text: 'Reject' },
      blocks: [
        {
          type: 'input' as const,
          block_id: 'reason',
          label: { type: 'plain_text' as const, text: 'Why?' },
          element: { type: 'plain_text_input' as const, action_id: 'reason' },
        },
      ],
    };
    // Act
    const ephemeral = await client.chat.postEphemeral({ channel: 'C1', user: 'U0ALICE', text: 'Not allowed' });
    const opened = await client.views.open({ trigger_id: '12345.98765.abcd2358fdea', view });
    const empty = await client.views.open({ trigger_id: '', view }).catch((caught: unknown) => caught);
    const again = await client.views
      .open({ trigger_id: '12345.98765.abcd2358fdea', view })
      .catch((caught: unknown) => caught);
    // Assess
    expect(ephemeral.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(standin.ephemeralMessages()).toEqual([
      expect.objectContaining({ channel: 'C1', user: 'U0ALICE', text: 'Not allowed' }),
    ]);
    expect(opened).toMatchObject({
      ok: true,
      view: { id: expect.stringMatching(/^V[0-9A-F]{10}$/), callback_id: 'reject_reason', blocks: view.blocks },
    });
    expect(empty).toMatchObject({ data: { error: 'invalid_trigger_id' } });
    expect(again).toMatchObject({ data: { error: 'exchanged_trigger_id' } });
    expect(standin.views()).toHaveLength(1);
  });

  it('keeps messages across a restart with statePath and shows messages and calls as JSON', async () => {
    // Prepare
    await standin.close();
    stateDir = mkdtempSync(join(tmpdir(), 'slack-standin-'));
    const statePath = join(stateDir, 'slack.json');
    standin = await startSlackStandin({ botToken, statePath });
    const posted = await slack().chat.postMessage({ channel: 'C1', text: 'persisted', blocks });
    // Act
    await standin.close();
    standin = await startSlackStandin({ botToken, statePath });
    await slack().chat.update({ channel: 'C1', ts: posted.ts as string, text: 'updated after restart' });
    const base = standin.url.replace(/\/api\/$/, '');
    const shown = await fetch(`${base}/__slack/messages`).then((response) => response.json());
    const calls = await fetch(`${base}/__slack/calls`).then((response) => response.json());
    // Assess
    expect(shown).toEqual([
      expect.objectContaining({ ts: posted.ts, text: 'updated after restart', blocks, updates: 1 }),
    ]);
    expect(calls).toEqual([expect.objectContaining({ method: 'chat.update', status: 200 })]);
    standin.reset();
    expect(standin.messages()).toEqual([]);
    expect(standin.calls).toEqual([]);
  });
});
