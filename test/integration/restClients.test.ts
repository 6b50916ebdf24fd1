/**
 * REST clients that prove who they are (Trust II), end to end on the local stack: each client signs with its own
 * secret (`keyId=<client>`), decides as `client:<name>` or, inside its policy `actsFor`, for a person — recorded
 * `via` the client. infra/policy.json declares `release-bot` (acts for `email:*@example.com`, alice and carol),
 * `ci-gate` (only as itself; the "canary state machines" rule lists it) and `alice-cli` (acts for alice only; the
 * local stack gives it no secret, this file puts one).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, REST_CLIENT_SECRETS_PREFIX, startLocalStack } from '../../infra/local/localStack';
import { signRestRequest } from '../../shared/channels/restSignature';
import { DecisionHarness } from '../support/decisionHarness';
import { captureLogs, type LogCapture } from '../support/logCapture';
import { expectMatchesOpenApi } from '../support/openApi';

let stack: LocalStack;
let harness: DecisionHarness;
let logs: LogCapture;
const ALICE_CLI = { keyId: 'alice-cli', secret: randomBytes(32).toString('hex') };

beforeAll(async () => {
  process.env.LOG_LEVEL = 'INFO';
  logs = captureLogs();
  stack = await startLocalStack();
  harness = new DecisionHarness(stack);
  // What an operator does to give a declared client its secret.
  stack.standins.ssm.putParameter(`${REST_CLIENT_SECRETS_PREFIX}alice-cli`, ALICE_CLI.secret);
});

afterAll(async () => {
  harness?.close();
  await stack?.close();
  logs?.restore();
});

const decisionPath = (approvalId: string) => `/v1/approvals/${approvalId}/decision`;
const decide = (approvalId: string, body: Record<string, unknown>, client?: string | typeof ALICE_CLI) =>
  harness.rest('POST', decisionPath(approvalId), JSON.stringify(body), client === undefined ? {} : { client });
const errorOf = (reply: { body: string }) => JSON.parse(reply.body).error as { code: string; message: string };

describe('a client acts only for the people its actsFor names', () => {
  it('a client scoped to alice gets 403 voting as bob, where bob is an approver; nothing changes', async () => {
    // Prepare: "production state machines" lets alice, bob and carol decide (2 of them)
    const workflow = await harness.openWaiting('stepfunctions', {
      stateMachineName: 'prod-deploy',
      approvers: null,
      requestedBy: 'email:requester@example.com',
    });
    const before = await stack.store.get(workflow.approvalId);
    // Act
    const reply = await decide(
      workflow.approvalId,
      { decision: 'approve', approver: 'email:bob@example.com' },
      ALICE_CLI,
    );
    const asBobsSlack = await decide(
      workflow.approvalId,
      { decision: 'reject', approver: 'slack:U024BE7LB' },
      ALICE_CLI,
    );
    // Assess
    expect(before?.approvers).toEqual(['person:alice', 'person:bob', 'person:carol']);
    for (const refused of [reply, asBobsSlack]) {
      expect(refused.statusCode).toBe(403);
      expect(errorOf(refused).code).toBe('may_not_act_for');
      expectMatchesOpenApi('POST', '/v1/approvals/{id}/decision', refused);
    }
    expect(errorOf(reply).message).toMatch(/client:alice-cli may not decide for email:bob@example\.com/);
    expect(await stack.store.get(workflow.approvalId)).toEqual(before);
    expect(harness.answerCalls(workflow)).toHaveLength(0);
    // …while a client whose actsFor names bob's address may
    const forBob = await decide(workflow.approvalId, { decision: 'approve', approver: 'email:bob@example.com' });
    expect(forBob.statusCode).toBe(200);
    expect((await stack.store.get(workflow.approvalId))?.votes).toMatchObject([
      { approver: 'email:bob@example.com', person: 'person:bob', via: 'client:release-bot', channel: 'rest' },
    ]);
  });

  it('a client cannot reach a 2-of-2 quorum alone when its actsFor names one of the two people', async () => {
    // Prepare: alice and carol, both needed
    const workflow = await harness.openWaiting('stepfunctions', { requiredApprovals: 2 });
    // Act
    const asAlice = await decide(
      workflow.approvalId,
      { decision: 'approve', approver: 'email:alice@example.com' },
      ALICE_CLI,
    );
    const afterAlice = await stack.store.get(workflow.approvalId);
    const asCarol = await decide(
      workflow.approvalId,
      { decision: 'approve', approver: 'email:carol@example.com' },
      ALICE_CLI,
    );
    const asItself = await decide(workflow.approvalId, { decision: 'approve' }, ALICE_CLI);
    // Assess
    expect(asAlice.statusCode).toBe(200);
    expect(JSON.parse(asAlice.body).status).toBe('pending');
    expect(asCarol.statusCode).toBe(403);
    expect(errorOf(asCarol).code).toBe('may_not_act_for');
    expect(asItself.statusCode).toBe(403); // client:alice-cli is no approver of this rule
    expect(errorOf(asItself).code).toBe('not_an_approver');
    expect(await stack.store.get(workflow.approvalId)).toEqual(afterAlice);
    expect(afterAlice?.status).toBe('pending');
    expect(afterAlice?.votes).toMatchObject([
      { approver: 'email:alice@example.com', person: 'person:alice', via: 'client:alice-cli' },
    ]);
    expect(harness.answerCalls(workflow)).toHaveLength(0);
  });

  it('a client whose actsFor names both people reaches the 2-of-2 quorum alone (by design), and the votes show via', async () => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions', { requiredApprovals: 2 });
    // Act
    const first = await decide(workflow.approvalId, { decision: 'approve', approver: 'slack:U024BE7LH' });
    const second = await decide(workflow.approvalId, { decision: 'approve', approver: 'email:carol@example.com' });
    const read = await harness.rest('GET', `/v1/approvals/${workflow.approvalId}`);
    // Assess
    expect(JSON.parse(first.body).status).toBe('pending');
    expect(second.statusCode).toBe(200);
    expect(JSON.parse(second.body).status).toBe('approved');
    expect(harness.answerCalls(workflow)).toHaveLength(1);
    expectMatchesOpenApi('GET', '/v1/approvals/{id}', read);
    expect(JSON.parse(read.body).votes).toMatchObject([
      { approver: 'slack:U024BE7LH', person: 'person:alice', via: 'client:release-bot', channel: 'rest' },
      { approver: 'email:carol@example.com', person: 'person:carol', via: 'client:release-bot', channel: 'rest' },
    ]);
  });

  it('one person is still one vote: acting for alice twice through two identities does not count twice', async () => {
    const workflow = await harness.openWaiting('stepfunctions', { requiredApprovals: 2 });
    await decide(workflow.approvalId, { decision: 'approve', approver: 'email:alice@example.com' });
    const again = await decide(workflow.approvalId, { decision: 'approve', approver: 'slack:U024BE7LH' }, ALICE_CLI);
    expect(again.statusCode).toBe(200);
    const approval = await stack.store.get(workflow.approvalId);
    expect(approval?.status).toBe('pending');
    expect(approval?.votes).toHaveLength(1);
  });
});

describe('a client with no actsFor decides as client:<name>', () => {
  it('counts where a rule lists it (canary state machines: two of ci-gate, alice, carol), recorded without via', async () => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions', { stateMachineName: 'canary-deploy', approvers: null });
    // Act
    const gate = await decide(workflow.approvalId, { decision: 'approve', comment: 'checks green' }, 'ci-gate');
    const person = await decide(workflow.approvalId, { decision: 'approve', approver: 'email:alice@example.com' });
    // Assess
    expect(gate.statusCode).toBe(200);
    expectMatchesOpenApi('POST', '/v1/approvals/{id}/decision', gate);
    expect(JSON.parse(gate.body).status).toBe('pending');
    expect(JSON.parse(person.body).status).toBe('approved');
    const approval = await stack.store.get(workflow.approvalId);
    expect(approval?.approvers).toEqual(['client:ci-gate', 'person:alice', 'person:carol']);
    expect(approval?.votes[0]).toEqual(
      expect.objectContaining({ approver: 'client:ci-gate', person: 'client:ci-gate', comment: 'checks green' }),
    );
    expect(approval?.votes[0]).not.toHaveProperty('via');
    expect(approval?.votes[1]).toMatchObject({ approver: 'email:alice@example.com', via: 'client:release-bot' });
    const calls = harness.answerCalls(workflow);
    expect(calls).toHaveLength(1);
    const output = (calls[0]?.input as { output?: string } | undefined)?.output ?? '{}';
    expect(JSON.parse(output).decidedBy).toEqual(expect.arrayContaining(['client:ci-gate']));
  });

  it('is refused where no rule lists it (403 not_an_approver), and may not name a person (403 may_not_act_for)', async () => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions');
    const before = await stack.store.get(workflow.approvalId);
    // Act
    const asItself = await decide(workflow.approvalId, { decision: 'approve' }, 'ci-gate');
    const forAlice = await decide(
      workflow.approvalId,
      { decision: 'approve', approver: 'email:alice@example.com' },
      'ci-gate',
    );
    const peopleBotAsItself = await decide(workflow.approvalId, { decision: 'approve' });
    // Assess
    expect([asItself.statusCode, errorOf(asItself).code]).toEqual([403, 'not_an_approver']);
    expect([forAlice.statusCode, errorOf(forAlice).code]).toEqual([403, 'may_not_act_for']);
    expect([peopleBotAsItself.statusCode, errorOf(peopleBotAsItself).code]).toEqual([403, 'not_an_approver']);
    expect(errorOf(asItself).message).toContain('client:ci-gate');
    expect(await stack.store.get(workflow.approvalId)).toEqual(before);
    expect(harness.answerCalls(workflow)).toHaveLength(0);
  });
});

describe('a request that does not prove its client gets 401 and changes nothing', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const body = JSON.stringify({ decision: 'approve', approver: 'email:alice@example.com' });
  const sign = (keyId: string, secret: string, path: string, payload = body, timestamp = now()) =>
    signRestRequest(
      { keyId, secret },
      { method: payload ? 'POST' : 'GET', pathWithQuery: path, body: payload, timestamp },
    );

  it.each([
    [
      'an unknown keyId (no such client in the policy)',
      (path: string) => sign('nobody', stack.restClient().secret, path),
    ],
    [
      "a wrong secret (another client's)",
      (path: string) => sign('release-bot', stack.restClient('ci-gate').secret, path),
    ],
    ['a stale timestamp', (path: string) => sign('release-bot', stack.restClient().secret, path, body, now() - 301)],
  ])('%s → 401 invalid_signature, with one message for all three', async (_name, signature) => {
    // Prepare
    const workflow = await harness.openWaiting('ssm');
    const before = await stack.store.get(workflow.approvalId);
    const path = decisionPath(workflow.approvalId);
    // Act
    const reply = await harness.rest('POST', path, body, { signature: signature(path) });
    // Assess
    expect(reply.statusCode).toBe(401);
    expect(errorOf(reply)).toEqual({
      code: 'invalid_signature',
      message:
        'the X-Greenlight-Signature is not valid for this request (unknown client, wrong secret, or a timestamp more than 300 seconds away from now)',
    });
    expectMatchesOpenApi('POST', '/v1/approvals/{id}/decision', reply);
    expect(await stack.store.get(workflow.approvalId)).toEqual(before);
    expect(harness.answerCalls(workflow)).toHaveLength(0);
  });

  it('the header without keyId (the old single-secret format) → 401 naming the expected format, on every route', async () => {
    // Prepare: correctly signed with a real client's secret, only the keyId is missing
    const workflow = await harness.openWaiting('ssm');
    const before = await stack.store.get(workflow.approvalId);
    const path = decisionPath(workflow.approvalId);
    const withoutKeyId = (signature: string) => signature.replace(/^keyId=[^,]+,/, '');
    // Act
    const post = await harness.rest('POST', path, body, {
      signature: withoutKeyId(sign('release-bot', stack.restClient().secret, path)),
    });
    const get = await harness.rest('GET', `/v1/approvals/${workflow.approvalId}`, '', {
      signature: withoutKeyId(
        sign('release-bot', stack.restClient().secret, `/v1/approvals/${workflow.approvalId}`, ''),
      ),
    });
    const list = await harness.rest('GET', '/v1/approvals', '', {
      signature: withoutKeyId(sign('release-bot', stack.restClient().secret, '/v1/approvals', '')),
    });
    // Assess
    for (const [reply, template, method] of [
      [post, '/v1/approvals/{id}/decision', 'POST'],
      [get, '/v1/approvals/{id}', 'GET'],
      [list, '/v1/approvals', 'GET'],
    ] as const) {
      expect(reply.statusCode).toBe(401);
      expect(errorOf(reply).code).toBe('invalid_signature');
      expect(errorOf(reply).message).toContain('keyId=<client>,t=<unix seconds>,v1=');
      expectMatchesOpenApi(method, template, reply);
    }
    expect(await stack.store.get(workflow.approvalId)).toEqual(before);
  });

  it('GET routes need a valid client signature too, and accept any declared client', async () => {
    const workflow = await harness.openWaiting('ssm');
    const path = `/v1/approvals/${workflow.approvalId}`;
    const unknown = await harness.rest('GET', path, '', { signature: sign('nobody', 'x'.repeat(64), path, '') });
    const asGate = await harness.rest('GET', path, '', { client: 'ci-gate' });
    const asAliceCli = await harness.rest('GET', '/v1/approvals?status=pending&limit=1', '', { client: ALICE_CLI });
    expect(unknown.statusCode).toBe(401);
    expect(asGate.statusCode).toBe(200);
    expect(asAliceCli.statusCode).toBe(200);
    expectMatchesOpenApi('GET', '/v1/approvals', asAliceCli);
  });

  it('the log says which refusal it was (the caller does not hear it)', async () => {
    const workflow = await harness.openWaiting('ssm');
    const path = decisionPath(workflow.approvalId);
    await harness.rest('POST', path, body, { signature: sign('nobody', stack.restClient().secret, path) });
    const refusals = logs.lines().filter((line) => line.message === 'rest signature refused');
    expect(refusals.at(-1)).toMatchObject({ reason: 'unknown-client', keyId: 'nobody' });
    expect(logs.text()).not.toContain(stack.restClient().secret);
  });
});
