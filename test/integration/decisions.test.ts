/**
 * Decisions end to end on the local stack: every channel (REST, review link, EventBridge) turns a decision into
 * exactly one answer to the waiting workflow (Step Functions, Image Builder, SSM stand-ins over the wire).
 */

import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOCAL_DECISION_BUS_NAME,
  LOCAL_EVENT_BUS_NAME,
  type LocalStack,
  startLocalStack,
} from '../../infra/local/localStack';
import { SOURCE_KINDS, type SourceKind } from '../../shared/domain/approval';
import { type Channel, DecisionHarness } from '../support/decisionHarness';
import { captureLogs, type LogCapture } from '../support/logCapture';
import { expectMatchesOpenApi } from '../support/openApi';

let stack: LocalStack;
let harness: DecisionHarness;
let logs: LogCapture;

beforeAll(async () => {
  process.env.LOG_LEVEL = 'INFO';
  logs = captureLogs();
  stack = await startLocalStack();
  harness = new DecisionHarness(stack);
});

afterAll(async () => {
  harness?.close();
  await stack?.close();
  logs?.restore();
});

const SOURCES: readonly SourceKind[] = SOURCE_KINDS;
const CHANNELS: Channel[] = ['rest', 'review-link', 'eventbridge', 'slack'];
const CASES = SOURCES.flatMap((source) =>
  CHANNELS.flatMap((channel) =>
    (['approve', 'reject'] as const).map((decision) => [source, channel, decision] as const),
  ),
);

/** The answer each source must receive, checked on the call's wire input. */
function expectValidAnswer(
  source: SourceKind,
  decision: 'approve' | 'reject',
  call: { operation: string; input: unknown },
) {
  const input = call.input as Record<string, unknown>;
  if (source === 'stepfunctions') {
    expect(call.operation).toBe(decision === 'approve' ? 'SendTaskSuccess' : 'SendTaskFailure');
    const document = JSON.parse(String(decision === 'approve' ? input.output : input.cause));
    expect(document).toMatchObject({ outcome: decision === 'approve' ? 'approved' : 'rejected' });
    if (decision === 'reject') expect(input.error).toBe('Greenlight.Rejected');
  } else if (source === 'imagebuilder') {
    expect(input).toMatchObject({ action: decision === 'approve' ? 'RESUME' : 'STOP' });
    expect(String(input.clientToken).length).toBeLessThanOrEqual(36);
    expect(String(input.reason)).toMatch(/alice|carol|slack:U024BE7L/);
  } else if (source === 'lambda') {
    expect(call.operation).toBe(
      decision === 'approve' ? 'SendDurableExecutionCallbackSuccess' : 'SendDurableExecutionCallbackFailure',
    );
    const document = JSON.parse(String(decision === 'approve' ? input.Result : input.ErrorData));
    expect(document).toMatchObject({ outcome: decision === 'approve' ? 'approved' : 'rejected' });
    if (decision === 'reject') expect(input.ErrorType).toBe('Greenlight.Rejected');
  } else if (source === 'codepipeline') {
    expect(input).toMatchObject({ result: { status: decision === 'approve' ? 'Approved' : 'Rejected' } });
    expect((input.result as { summary: string }).summary).toMatch(/alice|carol|slack:U024BE7L/);
  } else {
    expect(input).toMatchObject({ SignalType: decision === 'approve' ? 'Approve' : 'Reject' });
    expect((input.Payload as { Comment: string[] }).Comment.join(' ')).toMatch(/alice|carol|slack:U024BE7L/);
  }
}

describe('each channel answers each source exactly once', () => {
  it.each(CASES)('%s: %s %s', async (source, channel, decision) => {
    // Prepare
    const workflow = await harness.openWaiting(source);
    // Act
    const reply = await harness.decide(channel, workflow.approvalId, decision);
    // Assess
    if (reply) expect(reply.statusCode).toBe(200);
    if (channel === 'rest' && reply) expectMatchesOpenApi('POST', '/v1/approvals/{id}/decision', reply);
    const calls = harness.answerCalls(workflow);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.error).toBeUndefined();
    expectValidAnswer(source, decision, calls[0] as { operation: string; input: unknown });
    const approval = await stack.store.get(workflow.approvalId);
    expect(approval?.status).toBe(decision === 'approve' ? 'approved' : 'rejected');
    expect(approval?.votes[0]?.channel).toBe(channel);
  });
});

describe('exactly one answer under concurrency and replays', () => {
  it.each(SOURCES)(
    '%s: 30 concurrent approve/reject requests make one answer and one consistent final state',
    async (source) => {
      // Prepare
      const workflow = await harness.openWaiting(source);
      // Act: alice approves, carol rejects, 15 times each, all at once over REST
      const replies = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          harness.decide(
            'rest',
            workflow.approvalId,
            index % 2 === 0 ? 'approve' : 'reject',
            index % 2 === 0 ? 'email:alice@example.com' : 'email:carol@example.com',
          ),
        ),
      );
      // Assess
      const calls = harness.answerCalls(workflow);
      expect(calls).toHaveLength(1);
      const approval = await stack.store.get(workflow.approvalId);
      const decision = approval?.status === 'approved' ? 'approve' : 'reject';
      expect(['approved', 'rejected']).toContain(approval?.status);
      expectValidAnswer(source, decision, calls[0] as { operation: string; input: unknown });
      for (const reply of replies) {
        expect([200, 202, 409, 429]).toContain(reply?.statusCode);
        expectMatchesOpenApi('POST', '/v1/approvals/{id}/decision', reply as NonNullable<typeof reply>);
      }
      expect(replies.filter((reply) => reply?.statusCode === 200).length).toBeGreaterThanOrEqual(1);
    },
  );

  it('replaying a decision with the same body and Idempotency-Key makes no second call and gets the same answer', async () => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions');
    const body = JSON.stringify({ decision: 'approve', approver: 'email:alice@example.com', comment: 'ship it' });
    const path = `/v1/approvals/${workflow.approvalId}/decision`;
    // Act
    const first = await harness.rest('POST', path, body, { idempotencyKey: 'deploy-42' });
    const replay = await harness.rest('POST', path, body, { idempotencyKey: 'deploy-42' });
    const reusedKey = await harness.rest(
      'POST',
      path,
      JSON.stringify({ decision: 'approve', approver: 'email:alice@example.com', comment: 'other' }),
      { idempotencyKey: 'deploy-42' },
    );
    // Assess
    expect(first.statusCode).toBe(200);
    expect(replay.statusCode).toBe(200);
    expect(JSON.parse(replay.body)).toEqual(JSON.parse(first.body));
    expect(reusedKey.statusCode).toBe(422);
    expect(JSON.parse(reusedKey.body).error.code).toBe('idempotency_key_reused');
    expect(harness.answerCalls(workflow)).toHaveLength(1);
  });

  it('a quorum of two waits for a second person, and the same person twice does not count twice', async () => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions', { requiredApprovals: 2 });
    // Act
    const first = await harness.decide('rest', workflow.approvalId, 'approve', 'email:alice@example.com');
    const sameAgain = await harness.decide('review-link', workflow.approvalId, 'approve', 'slack:U024BE7LH');
    const afterOne = await stack.store.get(workflow.approvalId);
    const second = await harness.decide('rest', workflow.approvalId, 'approve', 'email:carol@example.com');
    // Assess
    expect(first?.statusCode).toBe(200);
    expect(JSON.parse(first?.body ?? '{}').status).toBe('pending');
    expect(sameAgain?.statusCode).toBe(200); // alice's Slack identity: the same person, a replay
    expect(afterOne?.votes).toHaveLength(1);
    expect(afterOne?.status).toBe('pending');
    expect(JSON.parse(second?.body ?? '{}').status).toBe('approved');
    expect(harness.answerCalls(workflow)).toHaveLength(1);
  });
});

describe('the source says the workflow no longer waits', () => {
  it('a token already answered ends the approval as failed with a clear 409, after at most 3 calls', async () => {
    // Prepare: someone answers the task before Greenlight does
    const workflow = await harness.openWaiting('stepfunctions');
    const { SFNClient, SendTaskSuccessCommand } = await import('@aws-sdk/client-sfn');
    const sfn = new SFNClient({});
    await sfn.send(new SendTaskSuccessCommand({ taskToken: workflow.taskToken, output: '{}' }));
    sfn.destroy();
    // Act
    const reply = await harness.decide('rest', workflow.approvalId, 'approve');
    const again = await harness.decide('rest', workflow.approvalId, 'approve');
    // Assess
    expect(reply?.statusCode).toBe(409);
    expect(JSON.parse(reply?.body ?? '{}').error.code).toBe('workflow_not_waiting');
    expectMatchesOpenApi('POST', '/v1/approvals/{id}/decision', reply as NonNullable<typeof reply>);
    expect(again?.statusCode).toBe(409);
    const approval = await stack.store.get(workflow.approvalId);
    expect(approval?.status).toBe('failed');
    expect(approval?.closedReason).toMatch(/TaskTimedOut/);
    expect(harness.answerCalls(workflow).length).toBeLessThanOrEqual(3);
  });
});

describe('bad input gets the documented 4xx and changes nothing', () => {
  it.each([
    ['unsigned', 401, 'invalid_signature', { signature: null }],
    ['wrongly signed', 401, 'invalid_signature', { signature: 't=1700000000,v1=00ff' }],
    ['stale (> 300 s)', 401, 'invalid_signature', { timestamp: Math.floor(Date.now() / 1000) - 301 }],
    [
      'signed for another approval',
      401,
      'invalid_signature',
      { signedPath: '/v1/approvals/apr_00000000000000000000000000000000/decision' },
    ],
  ] as const)('%s → %i %s', async (_name, status, code, options) => {
    // Prepare
    const workflow = await harness.openWaiting('ssm');
    const before = await stack.store.get(workflow.approvalId);
    // Act
    const reply = await harness.rest(
      'POST',
      `/v1/approvals/${workflow.approvalId}/decision`,
      JSON.stringify({ decision: 'approve', approver: 'email:alice@example.com' }),
      options,
    );
    // Assess
    expect(reply.statusCode).toBe(status);
    expect(JSON.parse(reply.body).error.code).toBe(code);
    expectMatchesOpenApi('POST', '/v1/approvals/{id}/decision', reply);
    expect(await stack.store.get(workflow.approvalId)).toEqual(before);
    expect(harness.answerCalls(workflow)).toHaveLength(0);
  });

  it.each([
    ['malformed JSON', 400, 'malformed_json', '{"decision": "approve",'],
    ['a wrong type', 422, 'validation_failed', JSON.stringify({ decision: 'approve', approver: 42 })],
    [
      'an unknown decision',
      422,
      'validation_failed',
      JSON.stringify({ decision: 'maybe', approver: 'email:alice@example.com' }),
    ],
    [
      'an extra field',
      422,
      'validation_failed',
      JSON.stringify({ decision: 'approve', approver: 'email:alice@example.com', admin: true }),
    ],
    [
      'an oversized body (> 64 KB)',
      413,
      'payload_too_large',
      JSON.stringify({ decision: 'approve', approver: 'email:alice@example.com', comment: 'x'.repeat(70_000) }),
    ],
    [
      'a non-approver',
      403,
      'not_an_approver',
      JSON.stringify({ decision: 'approve', approver: 'email:mallory@example.com' }),
    ],
  ])('%s → %i %s', async (_name, status, code, body) => {
    // Prepare: bob requested it (the sample event's requestedBy) and is not an approver
    const workflow = await harness.openWaiting('stepfunctions');
    const before = await stack.store.get(workflow.approvalId);
    // Act
    const reply = await harness.rest('POST', `/v1/approvals/${workflow.approvalId}/decision`, body);
    // Assess
    expect(reply.statusCode).toBe(status);
    expect(JSON.parse(reply.body).error.code).toBe(code);
    expectMatchesOpenApi('POST', '/v1/approvals/{id}/decision', reply);
    expect(await stack.store.get(workflow.approvalId)).toEqual(before);
    expect(harness.answerCalls(workflow)).toHaveLength(0);
  });

  it('the requester may not approve their own request, under any of their identities → 403 self_approval', async () => {
    // Prepare: alice asked from Slack; the people map knows her e-mail is the same person
    const workflow = await harness.openWaiting('stepfunctions', { requestedBy: 'slack:U024BE7LH' });
    const before = await stack.store.get(workflow.approvalId);
    // Act
    const reply = await harness.decide('rest', workflow.approvalId, 'approve', 'email:alice@example.com');
    // Assess
    expect(reply?.statusCode).toBe(403);
    expect(JSON.parse(reply?.body ?? '{}').error.code).toBe('self_approval');
    expect(await stack.store.get(workflow.approvalId)).toEqual(before);
    expect(harness.answerCalls(workflow)).toHaveLength(0);
  });

  it.each([
    ['in capitals with a trailing dot', 'email:Carol@Example.COM.', 'email:carol@example.com'],
    ['in full-width letters', 'email:ｃａｒｏｌ@example.com', 'slack:U024BE7LC'],
  ])('a requester written %s cannot approve their own request → 403 self_approval', async (_how, requestedBy, as) => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions', { requestedBy });
    const before = await stack.store.get(workflow.approvalId);
    // Act
    const reply = await harness.decide('rest', workflow.approvalId, 'approve', as);
    // Assess
    expect(before?.requestedBy).toBe('email:carol@example.com');
    expect(reply?.statusCode).toBe(403);
    expect(JSON.parse(reply?.body ?? '{}').error.code).toBe('self_approval');
    expect(await stack.store.get(workflow.approvalId)).toEqual(before);
  });

  it('an approver with a zero-width character is refused with 422 and changes nothing', async () => {
    const workflow = await harness.openWaiting('stepfunctions');
    const before = await stack.store.get(workflow.approvalId);
    const reply = await harness.decide('rest', workflow.approvalId, 'approve', 'email:ali\u200bce@example.com');
    expect(reply?.statusCode).toBe(422);
    expect(await stack.store.get(workflow.approvalId)).toEqual(before);
  });

  it('a vote records the canonical identity and the person it resolved to', async () => {
    const workflow = await harness.openWaiting('stepfunctions');
    await harness.decide('rest', workflow.approvalId, 'approve', ' email:Alice@Example.com. ');
    const approval = await stack.store.get(workflow.approvalId);
    expect(approval?.votes[0]).toMatchObject({
      approver: 'email:alice@example.com',
      person: 'person:alice',
      channel: 'rest',
    });
  });

  it.each([
    ['an unknown id', '/v1/approvals/apr_0123456789abcdef0123456789abcdef/decision'],
    ['a malformed id', '/v1/approvals/not-an-id/decision'],
  ])('%s → 404 not_found', async (_name, path) => {
    const reply = await harness.rest(
      'POST',
      path,
      JSON.stringify({ decision: 'approve', approver: 'email:alice@example.com' }),
    );
    expect(reply.statusCode).toBe(404);
    expect(JSON.parse(reply.body).error.code).toBe('not_found');
    expectMatchesOpenApi('POST', '/v1/approvals/{id}/decision', reply);
  });

  it('a tampered, an expired and a foreign review link get a clear page and change nothing', async () => {
    // Prepare
    const workflow = await harness.openWaiting('imagebuilder');
    const other = await harness.openWaiting('imagebuilder');
    const before = await stack.store.get(workflow.approvalId);
    const link = new URL(stack.reviewLink(workflow.approvalId, 'email:alice@example.com'));
    const token = link.searchParams.get('t') ?? '';
    const tampered = `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}${token.slice(-1)}`;
    const foreign = new URL(stack.reviewLink(other.approvalId, 'email:alice@example.com')).searchParams.get('t') ?? '';
    // Act
    const replies = [
      await harness.http('GET', `${link.pathname}?t=${tampered}`),
      await harness.http('GET', `${link.pathname}?t=${foreign}`),
      await harness.reviewPost(link.pathname, new URLSearchParams({ t: tampered, decision: 'approve' })),
    ];
    // Assess
    for (const reply of replies) {
      expect(reply.statusCode).toBe(403);
      expect(reply.headers['content-type']).toMatch(/text\/html/);
      expect(reply.body).toContain('This review link is not valid.');
      expect(reply.body).not.toMatch(/at \w+ \(|Error:/); // no stack trace
    }
    expect(await stack.store.get(workflow.approvalId)).toEqual(before);
    expect(harness.answerCalls(workflow)).toHaveLength(0);
  });
});

describe('review-link POSTs must come from the review page', () => {
  /** A correct form POST (a valid link of an approver, a valid decision) with these headers instead of a browser's. */
  async function postFrom(headers: Record<string, string>, workflow: { approvalId: string }, body?: string) {
    const link = new URL(stack.reviewLink(workflow.approvalId, 'email:alice@example.com'));
    const form = new URLSearchParams({ t: link.searchParams.get('t') ?? '', decision: 'approve', comment: 'csrf?' });
    return harness.http('POST', link.pathname, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: body ?? form.toString(),
    });
  }

  it.each([
    ['a cross-site Origin', { origin: 'https://evil.example' }],
    ['neither Origin nor Sec-Fetch-Site', {}],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
    ['Origin: null', { origin: 'null' }],
    ['a cross-site Origin and fetch', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
  ])('%s → 403 page, no vote, no answer', async (_name, headers) => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions');
    const before = await stack.store.get(workflow.approvalId);
    // Act
    const reply = await postFrom(headers, workflow);
    // Assess
    expect(reply.statusCode).toBe(403);
    expect(reply.headers['content-type']).toMatch(/text\/html/);
    expect(reply.body).toContain('Decide on the review page');
    expect(reply.body).toContain('This decision did not come from Greenlight&#39;s review page.');
    expect(reply.body).not.toMatch(/at \w+ \(|Error:/);
    expect(await stack.store.get(workflow.approvalId)).toEqual(before);
    expect(harness.answerCalls(workflow)).toHaveLength(0);
  });

  it('is checked before the body is read: a foreign oversized or malformed POST is refused as foreign', async () => {
    // Prepare
    const workflow = await harness.openWaiting('ssm');
    // Act
    const oversized = await postFrom({ origin: 'https://evil.example' }, workflow, 'x'.repeat(70 * 1024));
    const malformed = await postFrom({ origin: 'https://evil.example' }, workflow, 't=&decision=maybe');
    // Assess
    expect([oversized.statusCode, malformed.statusCode]).toEqual([403, 403]);
    expect(oversized.body).toContain('did not come from Greenlight&#39;s review page');
    expect(malformed.body).toContain('did not come from Greenlight&#39;s review page');
  });

  it.each([
    ['Origin equal to the public base URL', () => ({ origin: new URL(stack.httpUrl).origin })],
    ['Sec-Fetch-Site: same-origin (no Origin)', () => ({ 'sec-fetch-site': 'same-origin' })],
  ])('%s → decides', async (_name, headers) => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions');
    // Act
    const reply = await postFrom(headers(), workflow);
    // Assess
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toContain('Approved. The workflow continues.');
    expect((await stack.store.get(workflow.approvalId))?.votes).toMatchObject([
      { approver: 'email:alice@example.com', decision: 'approve', channel: 'review-link', comment: 'csrf?' },
    ]);
    expect(harness.answerCalls(workflow).map((call) => call.operation)).toEqual(['SendTaskSuccess']);
  });
});

describe('EventBridge decisions come only from the decisions bus', () => {
  const putDecision = (busName: string, approvalId: string) =>
    new EventBridgeClient({}).send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: busName,
            Source: 'com.example.release-bot',
            DetailType: 'Approval Decision',
            Detail: JSON.stringify({ approvalId, decision: 'approve', approver: 'email:alice@example.com' }),
          },
        ],
      }),
    );

  it('an Approval Decision put on the request bus (where state machines put requests) changes nothing', async () => {
    // Prepare: the attack from the issue: a workflow approves itself through the bus it may put events on
    const workflow = await harness.openWaiting('stepfunctions');
    const before = await stack.store.get(workflow.approvalId);
    // Act
    await putDecision(LOCAL_EVENT_BUS_NAME, workflow.approvalId);
    // Assess
    expect(await stack.store.get(workflow.approvalId)).toEqual(before);
    expect(harness.answerCalls(workflow)).toHaveLength(0);
  });

  it('on the decisions bus the vote records the sender as who acted for the person', async () => {
    const workflow = await harness.openWaiting('stepfunctions');
    await putDecision(LOCAL_DECISION_BUS_NAME, workflow.approvalId);
    const approval = await stack.store.get(workflow.approvalId);
    expect(approval?.status).toBe('approved');
    expect(approval?.votes[0]).toMatchObject({
      approver: 'email:alice@example.com',
      person: 'person:alice',
      channel: 'eventbridge',
      via: 'eventbridge:com.example.release-bot',
    });
  });
});

describe('GET never decides', () => {
  it('a mail scanner fetching every review link (repeatedly) changes nothing', async () => {
    // Prepare
    const workflows = await Promise.all(SOURCES.map((source) => harness.openWaiting(source)));
    const before = await Promise.all(workflows.map((workflow) => stack.store.get(workflow.approvalId)));
    // Act
    for (const workflow of workflows) {
      const link = new URL(stack.reviewLink(workflow.approvalId, 'email:alice@example.com'));
      for (let i = 0; i < 3; i++) {
        const page = await harness.http('GET', `${link.pathname}${link.search}`);
        expect(page.statusCode).toBe(200);
        expect(page.body).toContain('name="decision" value="approve"');
        expect(page.headers['referrer-policy']).toBe('same-origin');
      }
      const rest = await harness.rest('GET', `/v1/approvals/${workflow.approvalId}`);
      expectMatchesOpenApi('GET', '/v1/approvals/{id}', rest);
    }
    // Assess
    const after = await Promise.all(workflows.map((workflow) => stack.store.get(workflow.approvalId)));
    expect(after).toEqual(before);
    for (const workflow of workflows) expect(harness.answerCalls(workflow)).toHaveLength(0);
  });
});

describe('listing', () => {
  it('pages through pending approvals with an opaque cursor, and refuses a forged cursor', async () => {
    await harness.openWaiting('ssm');
    await harness.openWaiting('ssm');
    const first = await harness.rest('GET', '/v1/approvals?status=pending&limit=1');
    expectMatchesOpenApi('GET', '/v1/approvals', first);
    const { items, nextCursor } = JSON.parse(first.body);
    expect(items).toHaveLength(1);
    const second = await harness.rest('GET', `/v1/approvals?status=pending&limit=1&cursor=${nextCursor}`);
    expectMatchesOpenApi('GET', '/v1/approvals', second);
    expect(JSON.parse(second.body).items[0].id).not.toBe(items[0].id);
    const forged = await harness.rest('GET', '/v1/approvals?status=pending&cursor=eyJwayI6IngifQ');
    expect(forged.statusCode).toBe(422);
    expectMatchesOpenApi('GET', '/v1/approvals', forged);
  });
});

describe('no task token leaves the store', () => {
  it('appears in no HTTP response, page, outbound event or log line of this whole suite', () => {
    // Prepare: every token the stand-in handed out in this suite
    const tokens = stack.standins
      .callsTo('sfn', 'SendTaskSuccess')
      .concat(stack.standins.callsTo('sfn', 'SendTaskFailure'))
      .map((call) => String((call.input as { taskToken: string }).taskToken));
    const outbound = stack.standins
      .callsTo('eventbridge', 'PutEvents')
      .flatMap((call) => (call.input as { Entries: Array<{ Source: string; Detail: string }> }).Entries)
      .filter((entry) => entry.Source === 'greenlight');
    // Assess
    expect(tokens.length).toBeGreaterThan(5);
    expect(outbound.length).toBeGreaterThan(5);
    const surfaces = [
      ...harness.responses.map((reply) => reply.body),
      ...harness.responses.map((reply) => JSON.stringify(reply.headers)),
      ...outbound.map((entry) => entry.Detail),
      logs.text(),
    ].join('\n');
    for (const token of new Set(tokens)) {
      expect(surfaces).not.toContain(token);
      expect(surfaces).not.toContain(token.slice(0, 40));
    }
  });
});
