/**
 * The SSO channel cannot be used without a valid session: against the in-process local stack over HTTP, a decision
 * POST without a session, with a tampered or expired one, without the CSRF token or from another site is refused
 * with a 4xx and changes nothing; with all of them it decides as the session's identity, on channel `sso`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, SSO_SESSION_KEYS_PARAMETER, startLocalStack } from '../../infra/local/localStack';
import { SESSION_COOKIE, type SsoSessionKeys, sealSession } from '../../shared/channels/ssoSession';
import { requestApproval } from '../support/inboxFixtures';

process.env.LOG_LEVEL = 'SILENT';
let stack: LocalStack;
let approvalId: string;
let keys: SsoSessionKeys;

beforeAll(async () => {
  stack = await startLocalStack();
  approvalId = await requestApproval(stack, { stateMachine: 'shop-deploy', title: 'Deploy the shop' });
  keys = JSON.parse(stack.standins.ssm.parameterValue(SSO_SESSION_KEYS_PARAMETER) ?? '') as SsoSessionKeys;
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

async function post(cookie: string | undefined, form: Record<string, string>, origin = stack.httpUrl) {
  return fetch(`${stack.httpUrl}/inbox/approvals/${approvalId}/decision`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin,
      ...(cookie ? { cookie: `${SESSION_COOKIE}=${cookie}` } : {}),
    },
    body: new URLSearchParams(form).toString(),
  });
}

async function aliceSession(now = new Date(), seconds = 3600) {
  return sealSession(keys, 'email:alice@example.com', now, seconds);
}

describe('inbox decisions need a valid session and its CSRF token', () => {
  it.each([
    ['no session', async () => ({ cookie: undefined, csrf: 'x' })],
    [
      'a tampered session',
      async () => {
        const { value, session } = await aliceSession();
        const at = Math.floor(value.length / 2);
        return {
          cookie: `${value.slice(0, at)}${value[at] === 'A' ? 'B' : 'A'}${value.slice(at + 1)}`,
          csrf: session.csrfToken,
        };
      },
    ],
    [
      'an expired session',
      async () => {
        const { value, session } = await aliceSession(new Date(Date.now() - 2 * 3600_000));
        return { cookie: value, csrf: session.csrfToken };
      },
    ],
  ])('refuses a decision with %s (401) and changes nothing', async (_case, make) => {
    // Prepare
    const { cookie, csrf } = await make();
    // Act
    const response = await post(cookie, { csrf, decision: 'approve' });
    // Assess
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('Sign in to continue');
    expect((await stack.store.get(approvalId))?.votes).toEqual([]);
  });

  it("refuses a POST without the CSRF token, or with another session's (403), and changes nothing", async () => {
    // Prepare
    const { value } = await aliceSession();
    const other = await aliceSession();
    // Act
    const without = await post(value, { decision: 'approve' });
    const foreign = await post(value, { decision: 'approve', csrf: other.session.csrfToken });
    // Assess
    expect(without.status).toBe(403);
    expect(foreign.status).toBe(403);
    expect((await stack.store.get(approvalId))?.votes).toEqual([]);
  });

  it('refuses a POST from another site even with the session and its token (403)', async () => {
    const { value, session } = await aliceSession();
    const response = await post(value, { decision: 'approve', csrf: session.csrfToken }, 'https://evil.example');
    expect(response.status).toBe(403);
    expect((await stack.store.get(approvalId))?.votes).toEqual([]);
  });

  it('sends a GET without a session to sign in, and back afterwards', async () => {
    const response = await fetch(`${stack.httpUrl}/inbox/approvals/${approvalId}`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      `/inbox/login?return=${encodeURIComponent(`/inbox/approvals/${approvalId}`)}`,
    );
  });

  it('decides as the session identity on channel sso when everything holds', async () => {
    // Prepare
    const { value, session } = await aliceSession();
    // Act
    const response = await post(value, { decision: 'reject', csrf: session.csrfToken, comment: 'not today' });
    // Assess
    expect(response.status).toBe(303);
    expect((await stack.store.get(approvalId))?.votes).toMatchObject([
      {
        approver: 'email:alice@example.com',
        person: 'person:alice',
        channel: 'sso',
        decision: 'reject',
        comment: 'not today',
      },
    ]);
  });
});
