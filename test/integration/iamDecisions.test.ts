/**
 * IAM-authenticated decisions (`/v1/iam`) on the in-process local stack: the local gateway checks SigV4 signatures as
 * API Gateway's IAM authorization does (recomputed with @smithy/signature-v4 against the local IAM users), and the
 * approver is the caller's ARN from the request context — never the body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../cli/sigV4';
import type { LocalIamUser } from '../../infra/local/iamAuthorization';
import { type LocalStack, startLocalStack } from '../../infra/local/localStack';
import { DecisionHarness, type HttpReply } from '../support/decisionHarness';
import { expectMatchesOpenApi } from '../support/openApi';

let stack: LocalStack;
let harness: DecisionHarness;

beforeAll(async () => {
  stack = await startLocalStack();
  harness = new DecisionHarness(stack);
});

afterAll(async () => {
  harness?.close();
  await stack?.close();
});

const ALICE_ARN = 'arn:aws:iam::111122223333:user/alice';

function user(name: string): LocalIamUser {
  const found = stack.iam.users.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no local IAM user ${name}`);
  return found;
}

interface IamCallOptions {
  as?: LocalIamUser;
  /** Sign with this secret instead of the user's own. */
  secret?: string;
  signingDate?: Date;
  /** Sign for this path, send to `path`. */
  signedPath?: string;
  /** Sign this body, send `body`. */
  signedBody?: string;
  unsigned?: boolean;
}

/** A call to an IAM route, SigV4-signed as the CLI signs it (unless the test forges, alters or omits that). */
async function iamCall(method: 'GET' | 'POST', path: string, body?: string, options: IamCallOptions = {}) {
  const caller = options.as ?? user('alice');
  const signedFor = new URL(`${stack.httpUrl}${options.signedPath ?? path}`);
  const signedBody = options.signedBody ?? body;
  const content: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  const headers = options.unsigned
    ? content
    : await signedHeaders(
        { method, url: signedFor, headers: content, ...(signedBody === undefined ? {} : { body: signedBody }) },
        {
          region: 'us-east-1',
          credentials: { accessKeyId: caller.accessKeyId, secretAccessKey: options.secret ?? caller.secretAccessKey },
          ...(options.signingDate ? { signingDate: options.signingDate } : {}),
        },
      );
  const { host: _host, ...sent } = headers as Record<string, string>;
  return harness.http(method, path, { headers: sent, ...(body === undefined ? {} : { body }) });
}

const decisionPath = (approvalId: string) => `/v1/iam/approvals/${approvalId}/decision`;
const approve = JSON.stringify({ decision: 'approve', comment: 'signed with my own key' });
const json = (reply: HttpReply) => JSON.parse(reply.body);

describe('the local IAM users', () => {
  it('are the people of infra/policy.json with an IAM user ARN, each with an access key of their own', () => {
    expect(stack.iam.users.map((candidate) => [candidate.name, candidate.arn])).toEqual([
      ['alice', ALICE_ARN],
      ['bob', 'arn:aws:iam::111122223333:user/bob'],
      ['carol', 'arn:aws:iam::111122223333:user/carol'],
    ]);
    expect(new Set(stack.iam.users.map((candidate) => candidate.accessKeyId)).size).toBe(3);
    for (const candidate of stack.iam.users) expect(candidate.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
  });
});

describe('a SigV4-signed call', () => {
  it("decides as the signer: the vote is alice's IAM ARN, her person, channel iam, and the workflow is answered once", async () => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions');
    // Act
    const reply = await iamCall('POST', decisionPath(workflow.approvalId), approve);
    // Assess
    expect(reply.statusCode).toBe(200);
    expectMatchesOpenApi('POST', '/v1/iam/approvals/{id}/decision', reply);
    const approval = await stack.store.get(workflow.approvalId);
    expect(approval?.status).toBe('approved');
    expect(approval?.votes).toHaveLength(1);
    expect(approval?.votes[0]).toMatchObject({
      approver: `iam:${ALICE_ARN}`,
      person: 'person:alice',
      channel: 'iam',
      decision: 'approve',
      comment: 'signed with my own key',
    });
    expect(harness.answerCalls(workflow)).toHaveLength(1);
  });

  it('reads the open approvals and one approval, as the REST API shows them', async () => {
    // Prepare
    const workflow = await harness.openWaiting('ssm');
    // Act
    const list = await iamCall('GET', '/v1/iam/approvals?status=pending&limit=100');
    const one = await iamCall('GET', `/v1/iam/approvals/${workflow.approvalId}`);
    const missing = await iamCall('GET', `/v1/iam/approvals/apr_${'0'.repeat(32)}`);
    // Assess
    expect(list.statusCode).toBe(200);
    expectMatchesOpenApi('GET', '/v1/iam/approvals', list);
    expect(json(list).items.map((item: { id: string }) => item.id)).toContain(workflow.approvalId);
    expect(one.statusCode).toBe(200);
    expectMatchesOpenApi('GET', '/v1/iam/approvals/{id}', one);
    expect(json(one)).toMatchObject({ id: workflow.approvalId, status: 'pending' });
    expect(missing.statusCode).toBe(404);
    expectMatchesOpenApi('GET', '/v1/iam/approvals/{id}', missing);
  });

  it('is the policy at work: bob is not on the state machine rule, and the decision is refused as his', async () => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions');
    // Act
    const reply = await iamCall('POST', decisionPath(workflow.approvalId), approve, { as: user('bob') });
    // Assess
    expect(reply.statusCode).toBe(403);
    expect(json(reply).error.code).toBe('not_an_approver');
    expect(json(reply).error.message).toContain('user/bob');
    expectMatchesOpenApi('POST', '/v1/iam/approvals/{id}/decision', reply);
    expect((await stack.store.get(workflow.approvalId))?.votes).toEqual([]);
  });
});

describe('the gateway refuses, with 403, and nothing changes', () => {
  const minutes = (n: number) => new Date(Date.now() + n * 60_000);
  const cases: Array<[string, (approvalId: string, otherId: string) => Promise<HttpReply>, RegExp, string]> = [
    [
      'an unsigned call',
      (id) => iamCall('POST', decisionPath(id), approve, { unsigned: true }),
      /^Missing Authentication Token$/,
      'MissingAuthenticationTokenException',
    ],
    [
      'a call signed with the wrong secret',
      (id) => iamCall('POST', decisionPath(id), approve, { secret: user('carol').secretAccessKey }),
      /^The request signature we calculated does not match the signature you provided/,
      'InvalidSignatureException',
    ],
    [
      'a call whose body was altered after signing',
      (id) =>
        iamCall('POST', decisionPath(id), JSON.stringify({ decision: 'reject' }), {
          signedBody: JSON.stringify({ decision: 'approve' }),
        }),
      /^The request signature we calculated does not match/,
      'InvalidSignatureException',
    ],
    [
      'a call signed for another approval',
      (id, other) => iamCall('POST', decisionPath(id), approve, { signedPath: decisionPath(other) }),
      /^The request signature we calculated does not match/,
      'InvalidSignatureException',
    ],
    [
      'a stale call (X-Amz-Date 6 minutes ago)',
      (id) => iamCall('POST', decisionPath(id), approve, { signingDate: minutes(-6) }),
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
      'InvalidSignatureException',
    ],
    [
      'a call from the future (X-Amz-Date in 6 minutes)',
      (id) => iamCall('POST', decisionPath(id), approve, { signingDate: minutes(6) }),
      /^Signature not yet current: /,
      'InvalidSignatureException',
    ],
    [
      'a call signed with an unknown access key',
      (id) =>
        iamCall('POST', decisionPath(id), approve, {
          as: {
            name: 'mallory',
            arn: 'arn:aws:iam::111122223333:user/mallory',
            accessKeyId: 'AKIAUNKNOWNKEY000000',
            secretAccessKey: 'x',
          },
        }),
      /^The security token included in the request is invalid\.$/,
      'UnrecognizedClientException',
    ],
  ];

  it.each(cases)('%s', async (_name, send, message, errorType) => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions');
    const other = await harness.openWaiting('stepfunctions');
    const before = await stack.store.get(workflow.approvalId);
    // Act
    const reply = await send(workflow.approvalId, other.approvalId);
    // Assess
    expect(reply.statusCode).toBe(403);
    expect(reply.headers['x-amzn-errortype']).toBe(errorType);
    expect(json(reply).message).toMatch(message);
    expectMatchesOpenApi('POST', '/v1/iam/approvals/{id}/decision', reply);
    expect(await stack.store.get(workflow.approvalId)).toEqual(before);
    expect((await stack.store.get(other.approvalId))?.votes).toEqual([]);
    expect(harness.answerCalls(workflow)).toEqual([]);
  });

  it('also for reads: an unsigned list is refused', async () => {
    const reply = await iamCall('GET', '/v1/iam/approvals', undefined, { unsigned: true });
    expect(reply.statusCode).toBe(403);
    expect(json(reply)).toEqual({ message: 'Missing Authentication Token' });
  });
});

describe('the approver comes from the signature, never the body', () => {
  it('refuses a body naming an approver (422), records nothing, and the same call without it is the caller’s vote', async () => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions');
    // Act
    const refused = await iamCall(
      'POST',
      decisionPath(workflow.approvalId),
      JSON.stringify({ decision: 'approve', approver: 'email:carol@example.com' }),
    );
    const afterRefusal = await stack.store.get(workflow.approvalId);
    const accepted = await iamCall('POST', decisionPath(workflow.approvalId), JSON.stringify({ decision: 'approve' }));
    // Assess
    expect(refused.statusCode).toBe(422);
    expect(json(refused).error).toMatchObject({ code: 'validation_failed' });
    expect(json(refused).error.message).toMatch(/approver: the approver is the IAM caller who signed the request/);
    expectMatchesOpenApi('POST', '/v1/iam/approvals/{id}/decision', refused);
    expect(afterRefusal?.votes).toEqual([]);
    expect(accepted.statusCode).toBe(200);
    const approval = await stack.store.get(workflow.approvalId);
    expect(approval?.votes.map((vote) => [vote.approver, vote.person])).toEqual([[`iam:${ALICE_ARN}`, 'person:alice']]);
  });
});
