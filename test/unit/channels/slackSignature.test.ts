import { describe, expect, it } from 'vitest';
import { InvalidSlackSignatureError, type InvalidSlackSignatureReason } from '../../../shared/channels/errors';
import {
  SLACK_SIGNATURE_TOLERANCE_SECONDS,
  type SlackRequest,
  signSlackRequest,
  verifySlackOrigin,
  verifySlackSignature,
} from '../../../shared/channels/slackSignature';
import { describeHttpError } from '../../../shared/runtime/httpErrorResponses';

/**
 * Slack's published example, from "Verifying requests from Slack":
 *   https://api.slack.com/authentication/verifying-requests-from-slack
 *   (now https://docs.slack.dev/authentication/verifying-requests-from-slack)
 * Signing secret, X-Slack-Request-Timestamp, slash-command body and X-Slack-Signature as published there. The search
 * tool only returned the page's introduction, so the values were read from projects that quote the page (e.g. the
 * README of the Haskell package slack-verify 0.1.0 on Hackage) and checked independently of our code:
 *   printf '%s' "v0:1531420618:$BODY" | openssl dgst -sha256 -hmac '8f742231b10e8888abcd99yyyzzz85a5'
 *   → a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503
 */
const SLACK_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const SLACK_TIMESTAMP = 1531420618;
const SLACK_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
  '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
  '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
  '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SLACK_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const NOW = new Date(SLACK_TIMESTAMP * 1000);

const VECTOR: SlackRequest = {
  timestamp: String(SLACK_TIMESTAMP),
  signature: SLACK_SIGNATURE,
  rawBody: SLACK_BODY,
  now: NOW,
};

function reasonOf(action: () => void): InvalidSlackSignatureReason | 'no error' {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidSlackSignatureError) return error.reason;
    throw error;
  }
  return 'no error';
}

function verify(overrides: Partial<SlackRequest>): InvalidSlackSignatureReason | 'no error' {
  return reasonOf(() => verifySlackSignature(SLACK_SECRET, { ...VECTOR, ...overrides }));
}

describe('signSlackRequest', () => {
  it("reproduces Slack's published signature", () => {
    // Act
    const signature = signSlackRequest(SLACK_SECRET, SLACK_TIMESTAMP, SLACK_BODY);
    // Assess
    expect(signature).toBe(SLACK_SIGNATURE);
  });

  it('refuses an empty secret and a timestamp that is not whole unix seconds', () => {
    // Act / Assess
    expect(() => signSlackRequest('', SLACK_TIMESTAMP, SLACK_BODY)).toThrow(TypeError);
    expect(() => signSlackRequest(SLACK_SECRET, 1.5, SLACK_BODY)).toThrow(TypeError);
    expect(() => signSlackRequest(SLACK_SECRET, -1, SLACK_BODY)).toThrow(TypeError);
  });
});

describe('verifySlackSignature', () => {
  it("accepts Slack's published example", () => {
    // Act
    const reason = verify({});
    // Assess
    expect(reason).toBe('no error');
  });

  it('accepts a request signed by signSlackRequest within the window, either direction', () => {
    // Arrange
    const body = '{"type":"block_actions"}';
    const signature = signSlackRequest(SLACK_SECRET, SLACK_TIMESTAMP, body);
    // Act
    const early = verify({ rawBody: body, signature, now: new Date((SLACK_TIMESTAMP - 300) * 1000) });
    const late = verify({ rawBody: body, signature, now: new Date((SLACK_TIMESTAMP + 300) * 1000 + 999) });
    // Assess
    expect(early).toBe('no error');
    expect(late).toBe('no error');
  });

  it('accepts the hex digits in upper case (they are compared as bytes)', () => {
    // Act
    const reason = verify({ signature: `v0=${SLACK_SIGNATURE.slice(3).toUpperCase()}` });
    // Assess
    expect(reason).toBe('no error');
  });

  it('refuses a tampered body', () => {
    // Act
    const reason = verify({ rawBody: SLACK_BODY.replace('text=', 'text=approve') });
    // Assess
    expect(reason).toBe('mismatch');
  });

  it('refuses a signature made with another secret or for another timestamp', () => {
    // Arrange
    const otherSecret = signSlackRequest('another-secret', SLACK_TIMESTAMP, SLACK_BODY);
    const otherTime = signSlackRequest(SLACK_SECRET, SLACK_TIMESTAMP + 1, SLACK_BODY);
    // Act / Assess
    expect(verify({ signature: otherSecret })).toBe('mismatch');
    expect(verify({ signature: otherTime })).toBe('mismatch');
  });

  it(`refuses a timestamp more than ${SLACK_SIGNATURE_TOLERANCE_SECONDS} s in the past or in the future`, () => {
    // Act
    const old = verify({ now: new Date((SLACK_TIMESTAMP + 301) * 1000) });
    const future = verify({ now: new Date((SLACK_TIMESTAMP - 301) * 1000) });
    // Assess
    expect(old).toBe('stale');
    expect(future).toBe('stale');
  });

  it('refuses a request without either header', () => {
    // Act / Assess
    expect(verify({ timestamp: undefined })).toBe('missing');
    expect(verify({ signature: undefined })).toBe('missing');
    expect(verify({ timestamp: '', signature: '' })).toBe('missing');
  });

  it('refuses a signature with another version prefix or a malformed value', () => {
    // Arrange
    const hex = SLACK_SIGNATURE.slice(3);
    // Act / Assess
    expect(verify({ signature: `v1=${hex}` })).toBe('malformed');
    expect(verify({ signature: hex })).toBe('malformed');
    expect(verify({ signature: `v0=${hex.slice(1)}` })).toBe('malformed');
    expect(verify({ signature: `v0=${hex}00` })).toBe('malformed');
    expect(verify({ signature: `v0=${hex.slice(1)}g` })).toBe('malformed');
    expect(verify({ signature: `${SLACK_SIGNATURE}, ${SLACK_SIGNATURE}` })).toBe('malformed');
  });

  it('refuses a timestamp that is not unix seconds', () => {
    // Act / Assess
    expect(verify({ timestamp: '1531420618.5' })).toBe('malformed');
    expect(verify({ timestamp: '-1531420618' })).toBe('malformed');
    expect(verify({ timestamp: '2018-07-12T18:36:58Z' })).toBe('malformed');
  });

  it('names the rule in its message, never the signature or the secret', () => {
    // Act
    let message = '';
    try {
      verifySlackSignature(SLACK_SECRET, { ...VECTOR, rawBody: 'tampered' });
    } catch (error) {
      message = (error as Error).message;
    }
    // Assess
    expect(message).toBe('the Slack signature does not match the request');
    expect(message).not.toContain(SLACK_SIGNATURE.slice(3));
    expect(message).not.toContain(SLACK_SECRET);
  });

  it('treats an empty signing secret as a configuration fault, not as a bad request', () => {
    // Act / Assess
    expect(() => verifySlackSignature('', VECTOR)).toThrow(TypeError);
  });
});

describe('verifySlackOrigin', () => {
  const ORIGIN = { teamId: 'T0OURS', appId: 'A0OURS' };
  /** A block_actions / view_submission payload as Slack sends it: `team.id` and `api_app_id` at the top. */
  const payload = (team: unknown, appId: unknown) => ({ type: 'block_actions', team, api_app_id: appId });
  const origin = (expected: Parameters<typeof verifySlackOrigin>[0], value: unknown) =>
    reasonOf(() => verifySlackOrigin(expected, value));

  it('accepts an interaction from the configured workspace and app', () => {
    // Act / Assess
    expect(origin(ORIGIN, payload({ id: 'T0OURS', domain: 'ours' }, 'A0OURS'))).toBe('no error');
  });

  it.each([
    ['another workspace', payload({ id: 'T0THEIRS' }, 'A0OURS'), 'foreign-team'],
    ['the workspace id in another case', payload({ id: 't0ours' }, 'A0OURS'), 'foreign-team'],
    ['no team', { type: 'block_actions', api_app_id: 'A0OURS' }, 'foreign-team'],
    ['a null team (org-wide install)', payload(null, 'A0OURS'), 'foreign-team'],
    ['a team without an id', payload({ domain: 'ours' }, 'A0OURS'), 'foreign-team'],
    ['the team id as a number', payload({ id: 1 }, 'A0OURS'), 'foreign-team'],
    ['another app', payload({ id: 'T0OURS' }, 'A0THEIRS'), 'foreign-app'],
    ['no app id', { type: 'block_actions', team: { id: 'T0OURS' } }, 'foreign-app'],
    ['an empty app id', payload({ id: 'T0OURS' }, ''), 'foreign-app'],
    ['a payload that is not an object', 'T0OURS', 'foreign-team'],
  ] as const)('refuses %s like a bad signature', (_name, value, reason) => {
    // Act / Assess
    expect(origin(ORIGIN, value)).toBe(reason);
  });

  it('checks only what is configured', () => {
    // Act / Assess
    expect(origin({}, payload(undefined, undefined))).toBe('no error');
    expect(origin({ teamId: 'T0OURS' }, payload({ id: 'T0OURS' }, 'A0THEIRS'))).toBe('no error');
    expect(origin({ appId: 'A0OURS' }, payload({ id: 'T0THEIRS' }, 'A0OURS'))).toBe('no error');
    expect(origin({ appId: 'A0OURS' }, payload({ id: 'T0THEIRS' }, 'A0THEIRS'))).toBe('foreign-app');
  });

  it('answers 401 invalid_signature, as a bad signature is answered', () => {
    // Prepare
    const refusals = [
      () => verifySlackOrigin(ORIGIN, payload({ id: 'T0THEIRS' }, 'A0OURS')),
      () => verifySlackOrigin(ORIGIN, payload({ id: 'T0OURS' }, 'A0THEIRS')),
      () => verifySlackSignature(SLACK_SECRET, { ...VECTOR, rawBody: 'tampered' }),
    ];
    // Act
    const answers = refusals.map((refuse) => {
      try {
        refuse();
        return undefined;
      } catch (error) {
        return describeHttpError(error);
      }
    });
    // Assess
    for (const answer of answers) expect(answer).toMatchObject({ statusCode: 401, code: 'invalid_signature' });
    expect(answers[0]?.message).toBe('the Slack request does not come from the configured workspace');
    expect(answers[1]?.message).toBe('the Slack request does not come from the configured Slack app');
  });
});
