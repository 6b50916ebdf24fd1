/**
 * 4a. Property-based fuzzing of every HTTP route (fast-check, 1000 runs each), through the real function handlers
 * with the API Gateway v2 events the local stack builds: arbitrary ids, query strings, headers, bodies and signatures —
 * unsigned garbage and correctly signed garbage. Never a 5xx, always a documented answer, and nothing changes: no
 * DynamoDB write, no answer call, every approval at the version it had.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { REVIEW_LINK_KEYS_PARAMETER } from '../../infra/local/localStack';
import { signRestRequest } from '../../shared/channels/restSignature';
import { createReviewLinkToken, type ReviewLinkKeys } from '../../shared/channels/reviewLinks';
import { signSlackRequest } from '../../shared/channels/slackSignature';
import { allItems } from '../support/localStackHelpers';
import { openApiViolations } from '../support/openApi';
import {
  approvalIdArb,
  contentTypeArb,
  cursorArb,
  DECIDING_SLACK_IDS,
  decidingIdentityArb,
  headersArb,
  hex64Arb,
  isDecidingIdentity,
  mostly,
  nonDecidingIdentityArb,
  pathSegmentArb,
  queryStringArb,
  rawBodyArb,
  shortReport,
  signatureModeArb,
  slackUserArb,
  wrongJsonArb,
} from '../support/reliabilityArbitraries';
import { DYNAMODB_WRITE_OPERATIONS } from '../support/reliabilityDynamoProxy';
import { type DirectRequest, invokeHttp, SOURCES } from '../support/reliabilityHarness';
import { countKnownBug, reliabilityStats } from '../support/reliabilityStats';
import { DOCUMENTED_STATUSES, type ReliabilityContext } from './context';

const RUNS = 1000;
const ALICE = 'email:alice@example.com';
/** views.open refused (no/expired/used trigger_id) after a correctly signed "Decide with a comment…" click → 500. */
export const SLACK_MODAL_BUG = 'Slack comment button whose views.open is refused → 500';
/** A forged cursor of the right shape (four string keys) with values DynamoDB refuses as a start key → 500. */
export const FORGED_CURSOR_BUG = 'well-shaped forged list cursor → DynamoDB ValidationException → 500';

/** The store's cursor shape: base64url JSON of exactly {openSince, openStatus, pk, sk}, all strings. */
function isWellShapedCursor(url: string): boolean {
  const query = new URLSearchParams(url.split('?')[1] ?? '');
  const cursor = query.get('cursor');
  if (!cursor) return false;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return (
      Object.keys(key).sort().join(',') === 'openSince,openStatus,pk,sk' &&
      Object.values(key).every((value) => typeof value === 'string') &&
      key.openStatus === (query.get('status') ?? 'pending')
    );
  } catch {
    return false;
  }
}

type RouteKind = 'rest' | 'review' | 'slack';

interface Probe {
  request: DirectRequest;
  /** The REST operation's path template, for the OpenAPI check. */
  template?: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const asText = (body: string | Buffer | undefined) =>
  body === undefined ? '' : Buffer.isBuffer(body) ? body.toString('utf8') : Buffer.from(body, 'utf8').toString('utf8');

function timestampFor(mode: string, skew: number): number {
  if (mode === 'stale') return nowSeconds() - 301 - skew;
  if (mode === 'future') return nowSeconds() + 301 + skew;
  return nowSeconds();
}

export function httpFuzzScenarios(context: ReliabilityContext): void {
  describe(`4a. fuzzing every HTTP route (${RUNS} runs each): no 5xx, documented answers, nothing changes`, () => {
    const pool = { pendingIds: [] as string[], decidedId: '', ids: [] as string[], taskTokens: [] as string[] };
    let reviewKeys: ReviewLinkKeys;

    beforeAll(async () => {
      const { harness, stack } = context;
      const pending = await Promise.all(SOURCES.map((source) => harness.openWaiting(source)));
      const decided = await harness.openWaiting('stepfunctions');
      const reply = await harness.decide('rest', decided.approvalId, 'approve', ALICE);
      expect(reply?.statusCode).toBe(200);
      pool.pendingIds = pending.map((workflow) => workflow.approvalId);
      pool.decidedId = decided.approvalId;
      pool.ids = [...pool.pendingIds, pool.decidedId];
      pool.taskTokens = [...pending, decided].flatMap((workflow) => (workflow.taskToken ? [workflow.taskToken] : []));
      reviewKeys = JSON.parse(stack.standins.ssm.parameterValue(REVIEW_LINK_KEYS_PARAMETER) as string);
    }, 30_000);

    /** Approval items and delivery items, by key, with what changes on every write. */
    async function snapshot(): Promise<Record<string, unknown>> {
      const items = await allItems();
      return Object.fromEntries(
        items.map((item) => [
          `${item.pk}/${item.sk}`,
          { version: item.version, revision: item.revision, status: item.status, votes: (item.votes as [])?.length },
        ]),
      );
    }

    function answerCallCount(): number {
      return context.stack.standins.calls.filter((call) =>
        [
          'SendTaskSuccess',
          'SendTaskFailure',
          'SendWorkflowStepAction',
          'SendAutomationSignal',
          'SendDurableExecutionCallbackSuccess',
          'SendDurableExecutionCallbackFailure',
        ].includes(call.operation),
      ).length;
    }

    function describeProbe(probe: Probe): string {
      const { method, url, headers, body } = probe.request;
      const text = asText(body);
      return `${method} ${url.slice(0, 300)} headers=${JSON.stringify(headers).slice(0, 600)} body=${text.length > 1500 ? `${text.slice(0, 300)}… (${text.length} characters)` : text}`;
    }

    /** One request; throws (fast-check then shrinks it) when the answer breaks a rule. */
    async function probe(kind: RouteKind, candidate: Probe): Promise<void> {
      const { stack, dynamoProxy } = context;
      const writesBefore = dynamoProxy.countApplied(DYNAMODB_WRITE_OPERATIONS);
      const answersBefore = answerCallCount();
      const slackFrom = stack.slack.calls.length;
      const reply = await invokeHttp(stack, candidate.request);
      const code =
        reply.statusCode >= 400 && reply.body.startsWith('{') ? (JSON.parse(reply.body).error?.code ?? '') : '';
      const seen = `${reply.statusCode}${code ? ` ${code}` : ''}`;
      outcomes[seen] = (outcomes[seen] ?? 0) + 1;

      if (reply.statusCode >= 500) {
        const viewsOpenRefused = stack.slack.calls
          .slice(slackFrom)
          .some((call) => call.method === 'views.open' && call.response?.ok === false);
        if (kind === 'slack' && viewsOpenRefused) {
          countKnownBug(SLACK_MODAL_BUG);
        } else if (candidate.template === '/v1/approvals' && isWellShapedCursor(candidate.request.url)) {
          countKnownBug(FORGED_CURSOR_BUG);
        } else {
          reliabilityStats.serverErrorsOnBadInput += 1;
          throw new Error(`${reply.statusCode} for ${describeProbe(candidate)}: ${reply.body.slice(0, 300)}`);
        }
      } else if (!DOCUMENTED_STATUSES.has(reply.statusCode)) {
        throw new Error(`undocumented ${reply.statusCode} for ${describeProbe(candidate)}`);
      } else if (kind === 'rest') {
        const violations = openApiViolations(candidate.request.method, candidate.template as string, reply);
        if (violations.length === 1 && violations[0]?.startsWith(`status ${reply.statusCode} is not documented`)) {
          // A status the design documents, with the documented error body, that openapi.yaml does not list here.
          const error = JSON.parse(reply.body).error;
          if (typeof error?.code !== 'string' || typeof error?.message !== 'string') {
            throw new Error(`not a documented error body: ${reply.body} for ${describeProbe(candidate)}`);
          }
          countKnownBug(
            `openapi.yaml omits ${reply.statusCode} ${error.code} on ${candidate.request.method} ${candidate.template}`,
          );
        } else if (violations.length > 0) {
          throw new Error(`${violations.join('; ')} for ${describeProbe(candidate)}`);
        }
      } else if (kind === 'review') {
        if (!/text\/html/.test(reply.headers['content-type'] ?? ''))
          throw new Error(`not HTML: ${describeProbe(candidate)}`);
        if (/at \w+ \(|Error:/.test(reply.body))
          throw new Error(`a stack trace in the page: ${describeProbe(candidate)}`);
      } else if (reply.statusCode === 200) {
        if (reply.body !== '' && JSON.parse(reply.body).response_action !== 'errors') {
          throw new Error(`unexpected Slack reply ${reply.body} for ${describeProbe(candidate)}`);
        }
      } else {
        const error = JSON.parse(reply.body).error;
        if (typeof error?.code !== 'string' || typeof error?.message !== 'string') {
          throw new Error(`not a documented error body: ${reply.body} for ${describeProbe(candidate)}`);
        }
      }
      if (dynamoProxy.countApplied(DYNAMODB_WRITE_OPERATIONS) !== writesBefore) {
        throw new Error(`a DynamoDB write after ${describeProbe(candidate)}`);
      }
      if (answerCallCount() !== answersBefore) throw new Error(`an answer call after ${describeProbe(candidate)}`);
      const shown = `${reply.body}\n${JSON.stringify(reply.headers)}`;
      for (const token of pool.taskTokens) {
        if (shown.includes(token) || shown.includes(token.slice(0, 40))) {
          throw new Error(`a task token in the answer to ${describeProbe(candidate)}`);
        }
      }
    }

    /** Answers seen in the current property, by status (and error code): to check the fuzzing reaches deep. */
    let outcomes: Record<string, number> = {};

    async function fuzz(kind: RouteKind, arbitrary: fc.Arbitrary<Probe>): Promise<Record<string, number>> {
      outcomes = {};
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(arbitrary, (candidate) => probe(kind, candidate)),
        { numRuns: RUNS, reporter: shortReport },
      );
      expect(await snapshot()).toEqual(before);
      return outcomes;
    }

    // ── REST (/v1, X-Greenlight-Signature) ───────────────────────────────────────────────────────────────────────

    /**
     * Signed as a client with a secret (`release-bot` acts for alice and carol, `ci-gate` only as itself), or not:
     * the modes of every channel, plus the REST client's own failures — the header without keyId (correctly
     * signed with a real secret), a keyId the policy does not declare, and `alice-cli`, declared without a secret.
     */
    function signedRest(
      method: string,
      url: string,
      body: string | Buffer | undefined,
      headers: Record<string, string>,
      common: { mode: string; skew: number; garbage: string; hex: string; client: string },
    ): Record<string, string> {
      const { mode, garbage, hex } = common;
      const signed = { ...headers };
      delete signed['x-greenlight-signature'];
      const timestamp = timestampFor(mode, common.skew);
      const request = { method, pathWithQuery: url, body: asText(body), timestamp };
      const client = context.stack.restClient(common.client);
      if (mode === 'garbage') signed['x-greenlight-signature'] = garbage;
      if (mode === 'wrong') signed['x-greenlight-signature'] = `keyId=${client.keyId},t=${timestamp},v1=${hex}`;
      if (mode === 'signed' || mode === 'stale' || mode === 'future') {
        signed['x-greenlight-signature'] = signRestRequest(client, request);
      }
      if (mode === 'old-format') {
        signed['x-greenlight-signature'] = signRestRequest(client, request).replace(/^keyId=[^,]*,/, '');
      }
      if (mode === 'unknown-client' || mode === 'no-secret') {
        const keyId = mode === 'unknown-client' ? 'nobody' : 'alice-cli';
        signed['x-greenlight-signature'] = signRestRequest({ keyId, secret: hex }, request);
      }
      return signed;
    }

    const restCommon = {
      headers: headersArb,
      contentType: contentTypeArb,
      mode: fc.oneof(
        { weight: 13, arbitrary: signatureModeArb() },
        { weight: 3, arbitrary: fc.constantFrom('old-format', 'unknown-client', 'no-secret') },
      ),
      client: fc.constantFrom('release-bot', 'release-bot', 'ci-gate'),
      skew: fc.nat(100_000),
      garbage: fc.string({ unit: 'grapheme-ascii', maxLength: 120 }),
      hex: hex64Arb,
      query: queryStringArb,
    };

    function restProbe(
      method: string,
      template: string,
      url: string,
      body: string | Buffer | undefined,
      common: {
        headers: Record<string, string>;
        contentType?: string | undefined;
        mode: string;
        skew: number;
        garbage: string;
        hex: string;
        client: string;
      },
    ): Probe {
      const headers = { ...common.headers };
      if (common.contentType !== undefined) headers['content-type'] = common.contentType;
      return {
        template,
        request: {
          method,
          url,
          headers: signedRest(method, url, body, headers, common),
          ...(body === undefined ? {} : { body }),
        },
      };
    }

    const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path);

    it('GET /v1/approvals', async () => {
      const listQuery = fc
        .record(
          {
            status: mostly(fc.constantFrom('pending', 'resuming'), fc.string({ maxLength: 10 })),
            limit: mostly(
              fc.integer({ min: 1, max: 100 }).map(String),
              fc.constantFrom('0', '101', '-1', '1.5', 'ten', ''),
            ),
            cursor: cursorArb,
          },
          { requiredKeys: [] },
        )
        .map((query) => new URLSearchParams(query as Record<string, string>).toString());
      const seen = await fuzz(
        'rest',
        fc
          .record({
            ...restCommon,
            query: fc.oneof({ weight: 3, arbitrary: listQuery }, { weight: 1, arbitrary: queryStringArb }),
            body: fc.option(rawBodyArb, { nil: undefined, freq: 4 }),
          })
          .map((input) =>
            restProbe('GET', '/v1/approvals', withQuery('/v1/approvals', input.query), input.body, input),
          ),
      );
      expect(Object.keys(seen)).toEqual(expect.arrayContaining(['200', '401 invalid_signature', '422 invalid_cursor']));
    }, 60_000);

    // Found by the fuzzing above; deterministic here (reported; flip to `it` once fixed).
    it('a signed list request with a well-shaped forged cursor gets 422 invalid_cursor, not a 500', async () => {
      const cursor = Buffer.from(JSON.stringify({ openSince: '', openStatus: 'pending', pk: '', sk: '' })).toString(
        'base64url',
      );
      const url = `/v1/approvals?status=pending&cursor=${cursor}`;
      const reply = await invokeHttp(context.stack, {
        method: 'GET',
        url,
        headers: {
          'x-greenlight-signature': signRestRequest(context.stack.restClient(), {
            method: 'GET',
            pathWithQuery: url,
            body: '',
            timestamp: nowSeconds(),
          }),
        },
      });
      if (reply.statusCode >= 500) countKnownBug(FORGED_CURSOR_BUG);
      expect(reply.statusCode).toBe(422);
    });

    it('GET /v1/approvals/{id}', async () => {
      const seen = await fuzz(
        'rest',
        fc
          .record({
            ...restCommon,
            segment: pathSegmentArb(approvalIdArb(pool.ids)),
            body: fc.option(rawBodyArb, { nil: undefined, freq: 4 }),
          })
          .map((input) =>
            restProbe(
              'GET',
              '/v1/approvals/{id}',
              withQuery(`/v1/approvals/${input.segment}`, input.query),
              input.body,
              input,
            ),
          ),
      );
      expect(Object.keys(seen)).toEqual(expect.arrayContaining(['200', '404 not_found', '401 invalid_signature']));
    }, 60_000);

    it('POST /v1/approvals/{id}/decision', async () => {
      const decisionBody = fc
        .record(
          {
            decision: mostly(
              fc.constantFrom('approve', 'reject'),
              fc.oneof(fc.constantFrom('Approve', ''), wrongJsonArb),
            ),
            approver: mostly(fc.oneof(nonDecidingIdentityArb, decidingIdentityArb), wrongJsonArb),
            comment: mostly(fc.string({ maxLength: 1100 }), wrongJsonArb),
            extra: wrongJsonArb,
          },
          // Without an approver the client decides as itself (`client:<name>`): no approver of these approvals.
          { requiredKeys: ['decision'] },
        )
        .chain((body) =>
          // The strict schema refuses any extra field: keep one only now and then.
          fc.boolean().map((keepExtra) => {
            const { extra, ...rest } = body as Record<string, unknown>;
            return keepExtra && Math.abs(JSON.stringify(extra ?? null).length % 5) === 0 ? { ...rest, extra } : rest;
          }),
        );
      const seen = await fuzz(
        'rest',
        fc
          .record({
            ...restCommon,
            segment: pathSegmentArb(approvalIdArb(pool.ids)),
            body: fc.oneof({ weight: 1, arbitrary: rawBodyArb }, { weight: 3, arbitrary: decisionBody }),
            idempotencyKey: fc.option(fc.oneof(fc.string({ maxLength: 300 }), fc.uuid()), { nil: undefined }),
          })
          .map((input) => {
            let body = input.body;
            if (body !== undefined && typeof body === 'object' && !Buffer.isBuffer(body)) {
              // Only the approval already decided may see a deciding identity (a replay or a conflict: no change).
              const approver = body.approver;
              if (typeof approver === 'string' && isDecidingIdentity(approver) && input.segment !== pool.decidedId) {
                body = { ...body, approver: 'email:mallory@example.com' };
              }
              body = JSON.stringify(body);
            }
            const headers = { ...input.headers };
            if (input.idempotencyKey !== undefined) headers['idempotency-key'] = input.idempotencyKey;
            return restProbe(
              'POST',
              '/v1/approvals/{id}/decision',
              withQuery(`/v1/approvals/${input.segment}/decision`, input.query),
              body as string | Buffer | undefined,
              { ...input, headers },
            );
          }),
      );
      // The policy is reached (refusals, the clients' actsFor), and the approval already decided answers replays and
      // conflicts.
      expect(Object.keys(seen)).toEqual(
        expect.arrayContaining([
          '403 not_an_approver',
          '403 may_not_act_for',
          '404 not_found',
          '422 validation_failed',
          '401 invalid_signature',
        ]),
      );
      expect(Object.keys(seen).some((key) => key === '200' || key.startsWith('409'))).toBe(true);
    }, 60_000);

    // ── review pages (/review/{id}, signed links) ────────────────────────────────────────────────────────────────

    interface TokenPick {
      token: string;
      claim?: { approvalId: string; approver: string; expired: boolean };
    }

    function tokenArb(options: { deciding: boolean }): fc.Arbitrary<TokenPick> {
      const approver = options.deciding
        ? fc.oneof(nonDecidingIdentityArb, decidingIdentityArb)
        : nonDecidingIdentityArb;
      const signed = fc
        .record({
          approvalId: fc.oneof(fc.constantFrom(...pool.ids), approvalIdArb(pool.ids)),
          approver: approver.filter((value) => value.length > 0 && value.length <= 512),
          expired: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
        })
        .filter((claim) => claim.approvalId.length > 0 && claim.approvalId.length <= 512)
        .map(
          (claim): TokenPick => ({
            claim,
            token: createReviewLinkToken(reviewKeys, {
              approvalId: claim.approvalId,
              approver: claim.approver,
              expiresAt: new Date(Date.now() + (claim.expired ? -60_000 : 3_600_000)),
            }),
          }),
        );
      return fc.oneof(
        { weight: 4, arbitrary: signed },
        {
          weight: 2,
          arbitrary: fc
            .tuple(signed, fc.nat(), fc.constantFrom('A', 'b', '_', '-', '.', '='))
            .map(([pick, at, char]) => {
              const token = `${pick.token.slice(0, at % pick.token.length)}${char}${pick.token.slice((at % pick.token.length) + 1)}`;
              // Replacing a character by itself leaves the link valid: it still speaks for its claim.
              return token === pick.token ? pick : { token };
            }),
        },
        {
          weight: 1,
          arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,60}\.[A-Za-z0-9_-]{1,60}$/).map((token) => ({ token })),
        },
        { weight: 1, arbitrary: fc.string({ maxLength: 100 }).map((token) => ({ token })) },
        { weight: 1, arbitrary: fc.constant({ token: 'x'.repeat(2100) }) },
      );
    }

    /** The path id: mostly the one the link names (so the signature check passes and the policy is reached). */
    const reviewSegment = (pick: TokenPick) =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(encodeURIComponent(pick.claim?.approvalId ?? pool.ids[0] ?? '')) },
        { weight: 1, arbitrary: pathSegmentArb(approvalIdArb(pool.ids)) },
      );

    it('GET /review/{id} (GET never decides, whoever the link is for)', async () => {
      const seen = await fuzz(
        'review',
        tokenArb({ deciding: true })
          .chain((pick) =>
            fc.record({
              pick: fc.constant(pick),
              segment: reviewSegment(pick),
              extraQuery: queryStringArb,
              tokenIn: fc.constantFrom('query', 'query', 'missing', 'twice'),
              headers: headersArb,
            }),
          )
          .map(({ pick, segment, extraQuery, tokenIn, headers }): Probe => {
            const query = new URLSearchParams(extraQuery);
            query.delete('t');
            if (tokenIn !== 'missing') query.append('t', pick.token);
            if (tokenIn === 'twice') query.append('t', pick.token);
            const text = query.toString();
            return {
              request: { method: 'GET', url: text ? `/review/${segment}?${text}` : `/review/${segment}`, headers },
            };
          }),
      );
      // A link without its token (or with an unreadable one) is an unusable link, 403, never a validation 422.
      expect(Object.keys(seen)).toEqual(expect.arrayContaining(['200', '403', '404', '410']));
      expect(Object.keys(seen)).not.toContain('422');
    }, 60_000);

    /** Header text as HTTP would carry it (no CR/LF). */
    const headerTextArb = (maxLength: number) =>
      fc.string({ unit: 'grapheme-ascii', maxLength }).map((value) => value.replace(/[\r\n]/g, ''));

    /**
     * Where the POST says it comes from: mostly Greenlight's page (so the fuzzing reaches past the origin check),
     * else a foreign or `null` Origin, a cross-site / same-site / user-typed fetch, garbage, or neither header.
     */
    const postedFromArb = (pageOrigin: string): fc.Arbitrary<Record<string, string>> =>
      fc.oneof(
        { weight: 6, arbitrary: fc.constant({ origin: pageOrigin }) },
        { weight: 2, arbitrary: fc.constant({ 'sec-fetch-site': 'same-origin' }) },
        {
          weight: 3,
          arbitrary: fc.oneof(
            fc.constant({}),
            fc
              .constantFrom(
                'null',
                'https://evil.example',
                `${pageOrigin}.evil.example`,
                `${pageOrigin}/review`,
                pageOrigin.replace('http:', 'https:'),
                `${pageOrigin},https://evil.example`,
              )
              .map((origin) => ({ origin })),
            fc.constantFrom('cross-site', 'same-site', 'none').map((site) => ({ 'sec-fetch-site': site })),
            fc.record({ origin: headerTextArb(60), 'sec-fetch-site': headerTextArb(20) }),
          ),
        },
      );

    it('POST /review/{id}', async () => {
      const seen = await fuzz(
        'review',
        tokenArb({ deciding: true })
          .chain((pick) =>
            fc.record({
              pick: fc.constant(pick),
              postedFrom: postedFromArb(new URL(context.stack.httpUrl).origin),
              segment: reviewSegment(pick),
              decision: mostly(
                fc.constantFrom('approve', 'reject'),
                fc.oneof(fc.constantFrom('APPROVE', ''), fc.string({ maxLength: 20 })),
              ),
              comment: fc.option(fc.string({ maxLength: 1100 }), { nil: undefined }),
              extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 2 }),
              raw: fc.option(rawBodyArb, { nil: undefined, freq: 8 }),
              contentType: fc.oneof(
                fc.constant('application/x-www-form-urlencoded'),
                fc.constant('application/x-www-form-urlencoded'),
                contentTypeArb,
              ),
              headers: headersArb,
            }),
          )
          .map((input): Probe => {
            let decision = input.decision;
            const claim = input.pick.claim;
            const mayDecide =
              claim !== undefined &&
              !claim.expired &&
              isDecidingIdentity(claim.approver) &&
              claim.approvalId !== pool.decidedId;
            // A valid link of someone who may decide, on an open approval, only ever carries an invalid decision.
            if (mayDecide && (decision === 'approve' || decision === 'reject')) decision = `${decision}?`;
            const form = new URLSearchParams({ ...input.extra, t: input.pick.token, decision });
            if (input.pick.token.length % 11 === 0) form.delete('t');
            if (input.comment !== undefined) form.set('comment', input.comment);
            const headers = { ...input.headers, ...input.postedFrom };
            if (input.contentType !== undefined) headers['content-type'] = input.contentType;
            else delete headers['content-type'];
            return {
              request: {
                method: 'POST',
                url: `/review/${input.segment}`,
                headers,
                body: input.raw ?? form.toString(),
              },
            };
          }),
      );
      expect(Object.keys(seen)).toEqual(expect.arrayContaining(['403', '404', '410', '413', '422']));
      expect(Object.keys(seen).some((key) => key === '200' || key === '409')).toBe(true);
    }, 60_000);

    // ── Slack interactivity (/slack/interactions, X-Slack-Signature) ──────────────────────────────────────────────

    it('POST /slack/interactions (refusals are answered in Slack, 200)', async () => {
      const ids = fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...pool.ids) },
        { weight: 2, arbitrary: approvalIdArb(pool.ids) },
      );
      // Where Slack says the interaction comes from: mostly the stack's workspace and app (so the fuzzing reaches
      // past the origin check), else another one, garbage, or nothing.
      const { slackTeamId, slackAppId } = context.stack;
      const teamArb = mostly(
        fc.record({ id: fc.constant(slackTeamId), domain: fc.string({ maxLength: 10 }) }),
        fc.oneof(fc.record({ id: fc.constantFrom('T0OTHER', slackTeamId.toLowerCase()) }), wrongJsonArb),
      );
      const appIdArb = mostly(fc.constant(slackAppId), fc.oneof(fc.constantFrom('A0OTHER', ''), wrongJsonArb));
      const blockActions = fc.record(
        {
          type: mostly(fc.constant('block_actions'), fc.string({ maxLength: 15 })),
          team: teamArb,
          api_app_id: appIdArb,
          user: mostly(fc.record({ id: fc.oneof(slackUserArb, fc.constantFrom(...DECIDING_SLACK_IDS)) }), wrongJsonArb),
          trigger_id: mostly(fc.uuid(), fc.oneof(fc.string({ maxLength: 12 }), wrongJsonArb)),
          channel: mostly(fc.record({ id: fc.string({ minLength: 1, maxLength: 12 }) }), wrongJsonArb),
          actions: mostly(
            fc.array(
              fc.record(
                {
                  type: fc.constant('button'),
                  action_id: mostly(
                    fc.constantFrom('greenlight.approve', 'greenlight.reject', 'greenlight.comment'),
                    fc.string({ maxLength: 20 }),
                  ),
                  value: mostly(ids, wrongJsonArb),
                },
                { requiredKeys: ['action_id', 'value'] },
              ),
              { minLength: 1, maxLength: 2 },
            ),
            wrongJsonArb,
          ),
        },
        { requiredKeys: ['type', 'team', 'api_app_id', 'user', 'actions'] },
      );
      const viewSubmission = fc.record({
        type: fc.constant('view_submission'),
        team: teamArb,
        api_app_id: appIdArb,
        user: fc.record({ id: fc.oneof(slackUserArb, fc.constantFrom(...DECIDING_SLACK_IDS)) }),
        view: fc.record(
          {
            callback_id: mostly(fc.constant('greenlight.comment'), fc.string({ maxLength: 12 })),
            private_metadata: mostly(ids, wrongJsonArb),
            state: mostly(
              fc.record({
                values: fc.record(
                  {
                    decision: fc.record({
                      decision: fc.record({
                        selected_option: fc.record({
                          value: mostly(fc.constantFrom('approve', 'reject'), fc.string()),
                        }),
                      }),
                    }),
                    comment: fc.record({ comment: fc.record({ value: fc.option(fc.string({ maxLength: 1100 })) }) }),
                  },
                  { requiredKeys: ['decision'] },
                ),
              }),
              wrongJsonArb,
            ),
          },
          { requiredKeys: ['callback_id', 'private_metadata', 'state'] },
        ),
      });
      const payload = fc.oneof(
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
        { weight: 4, arbitrary: blockActions },
        { weight: 2, arbitrary: viewSubmission },
      );
      const seen = await fuzz(
        'slack',
        fc
          .record({
            payload,
            bodyForm: fc.constantFrom('payload', 'payload', 'payload', 'payload', 'payload', 'raw', 'payload-garbage'),
            raw: rawBodyArb,
            garbage: fc.string({ maxLength: 80 }),
            mode: signatureModeArb(),
            skew: fc.nat(100_000),
            hex: hex64Arb,
            headers: headersArb,
            contentType: fc.oneof(fc.constant('application/x-www-form-urlencoded'), contentTypeArb),
          })
          .map((input): Probe => {
            let payloadValue = input.payload as Record<string, unknown>;
            // A person who may decide only clicks on the approval already decided (a replay or a conflict).
            const text = JSON.stringify(payloadValue) ?? '';
            const decidingUser = [...DECIDING_SLACK_IDS].some((id) => text.includes(`"id":"${id}"`));
            const onlyDecided = pool.pendingIds.every((id) => !text.includes(id)) && text.includes(pool.decidedId);
            if (decidingUser && !onlyDecided) {
              payloadValue = JSON.parse(
                [...DECIDING_SLACK_IDS].reduce((json, id) => json.replaceAll(`"id":"${id}"`, '"id":"U0MALLORY"'), text),
              );
            }
            const body =
              input.bodyForm === 'raw'
                ? input.raw
                : input.bodyForm === 'payload-garbage'
                  ? `payload=${encodeURIComponent(input.garbage)}`
                  : new URLSearchParams({ payload: JSON.stringify(payloadValue) ?? 'null' }).toString();
            const headers = { ...input.headers };
            if (input.contentType !== undefined) headers['content-type'] = input.contentType;
            const timestamp = timestampFor(input.mode, input.skew);
            headers['x-slack-request-timestamp'] = String(timestamp);
            if (input.mode === 'none') {
              delete headers['x-slack-signature'];
              delete headers['x-slack-request-timestamp'];
            } else if (input.mode === 'garbage') headers['x-slack-signature'] = input.garbage;
            else if (input.mode === 'wrong') headers['x-slack-signature'] = `v0=${input.hex}`;
            else
              headers['x-slack-signature'] = signSlackRequest(
                context.stack.slackSigningSecret,
                timestamp,
                asText(body),
              );
            return {
              request: { method: 'POST', url: '/slack/interactions', headers, ...(body === undefined ? {} : { body }) },
            };
          }),
      );
      expect(Object.keys(seen)).toEqual(
        expect.arrayContaining(['200', '401 invalid_signature', '422 validation_failed', '400 malformed_json']),
      );
      expect(seen['200']).toBeGreaterThan(RUNS / 25);
    }, 60_000);

    // A deterministic reproduction of the bug the Slack fuzzing runs into (reported; flip to `it` once fixed).
    it('a signed "Decide with a comment…" click whose views.open is refused gets a 4xx/200, not a 500', async () => {
      const approvalId = pool.pendingIds[0] as string;
      const body = new URLSearchParams({
        payload: JSON.stringify({
          type: 'block_actions',
          team: { id: context.stack.slackTeamId },
          api_app_id: context.stack.slackAppId,
          user: { id: 'U024BE7LH' },
          actions: [{ type: 'button', action_id: 'greenlight.comment', value: approvalId }],
        }),
      }).toString();
      const timestamp = nowSeconds();
      const reply = await invokeHttp(context.stack, {
        method: 'POST',
        url: '/slack/interactions',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': signSlackRequest(context.stack.slackSigningSecret, timestamp, body),
        },
        body,
      });
      if (reply.statusCode >= 500) countKnownBug(SLACK_MODAL_BUG);
      expect(reply.statusCode).toBeLessThan(500);
    });
  });
}
