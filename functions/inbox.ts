/**
 * The approver's web inbox: sign-in with the configured OpenID Connect issuer, then what the person may decide, their
 * history, the approval page and batch decisions. The identity is the session's `email:` identity (from a verified ID
 * token); every decision goes through the decide use case on channel `sso`. Every POST must come from the inbox's own
 * page (Origin / Sec-Fetch-Site, as review pages) and carry the session's CSRF token; GETs never decide.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Configuration } from 'openid-client';
import { decideApproval } from '../shared/app/decideApproval';
import { decideBatch, listMyHistory, listMyPendingApprovals, MAX_BATCH } from '../shared/app/inbox';
import { InvalidSsoSessionError, SsoSignInError } from '../shared/channels/errors';
import {
  type InboxViewer,
  inboxHeader,
  renderBatchResultPage,
  renderHistoryPage,
  renderInboxPage,
  renderSignedOutPage,
} from '../shared/channels/inboxPages';
import { beginSignIn, completeSignIn, discoverIssuer } from '../shared/channels/oidcSignIn';
import { decisionMessage, renderApprovalPage } from '../shared/channels/reviewPages';
import { assertPostedFromReviewPage } from '../shared/channels/reviewPostOrigin';
import {
  assertCsrfToken,
  clearCookie,
  cookieValue,
  DEFAULT_SESSION_SECONDS,
  openPendingSignIn,
  openSession,
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
  type SsoSession,
  safeReturnPath,
  sealPendingSignIn,
  sealSession,
  setCookie,
} from '../shared/channels/ssoSession';
import { APPROVAL_ID_PATTERN, SOURCE_KINDS, toPublicApproval } from '../shared/domain/approval';
import { isApproverOf } from '../shared/domain/eligibility';
import { ApprovalNotFoundError, NotAnApproverError } from '../shared/domain/errors';
import type { DeciderPolicy } from '../shared/domain/policy';
import * as z from '../shared/domain/zodMini';
import { createDecisionDependencies } from '../shared/runtime/decisionDependencies';
import { requireEnv } from '../shared/runtime/environment';
import { htmlErrorPages } from '../shared/runtime/httpErrorMiddlewares';
import { describeHttpError } from '../shared/runtime/httpErrorResponses';
import { assertBodyWithin, parseWith, rawBody } from '../shared/runtime/httpRequest';
import { logger } from '../shared/runtime/logger';
import { routeHandler } from '../shared/runtime/routeHandler';
import { oidcSettings, ssoSessionKeys } from '../shared/runtime/secrets';
import { consoleLinksFor } from '../shared/sources/sourcePresentations';

const dependencies = createDecisionDependencies();
const policy: DeciderPolicy = {
  people: dependencies.people,
  ...(dependencies.allowedIdentities ? { allowedIdentities: dependencies.allowedIdentities } : {}),
  ...(dependencies.identityCenterAccounts ? { identityCenterAccounts: dependencies.identityCenterAccounts } : {}),
};
const inbox = { store: dependencies.store, policy, clock: dependencies.clock };
const MAX_BODY_BYTES = 64 * 1024;
const region = process.env.AWS_REGION ?? 'us-east-1';
const sessionSeconds = Number(process.env.SSO_SESSION_SECONDS || DEFAULT_SESSION_SECONDS);

/** The issuer's discovered configuration, per settings (a new parameter value means a new discovery). */
let issuer: { key: string; config: Promise<Configuration> } | undefined;
async function issuerConfiguration(): Promise<Configuration> {
  const settings = await oidcSettings();
  const key = JSON.stringify(settings);
  if (issuer?.key !== key) {
    const config = discoverIssuer(settings);
    issuer = { key, config };
    // A failed discovery is not cached: the next request tries again.
    config.catch(() => {
      if (issuer?.config === config) issuer = undefined;
    });
  }
  return issuer.config;
}

/** Read at call time: the local stack sets it after this module may have loaded. */
function publicBaseUrl(): string {
  return requireEnv('PUBLIC_BASE_URL').replace(/\/+$/, '');
}

const redirectUri = () => `${publicBaseUrl()}/inbox/callback`;

function redirect(location: string, cookies: string[] = []): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 303,
    headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'same-origin' },
    ...(cookies.length > 0 ? { cookies } : {}),
    body: '',
  };
}

const withCookies = (response: APIGatewayProxyStructuredResultV2, cookies: string[]) => ({ ...response, cookies });

function viewerOf(session: SsoSession): InboxViewer {
  return { identity: session.identity, csrfToken: session.csrfToken, people: policy };
}

async function sessionOf(event: APIGatewayProxyEventV2): Promise<SsoSession> {
  return openSession(await ssoSessionKeys(), cookieValue(event.cookies, SESSION_COOKIE), dependencies.clock.now());
}

/** A page that needs a session: without a valid one, off to sign in (and back here afterwards). */
function signedInPage(
  render: (session: SsoSession, event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>,
) {
  return async (event: APIGatewayProxyEventV2) => {
    let session: SsoSession;
    try {
      session = await sessionOf(event);
    } catch (error) {
      if (!(error instanceof InvalidSsoSessionError)) throw error;
      const back = event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath;
      return redirect(`/inbox/login?return=${encodeURIComponent(back)}`, [clearCookie(SESSION_COOKIE)]);
    }
    return render(session, event);
  };
}

/** A POST: from the inbox's own page, within the size limit, with a session and its CSRF token. */
async function postedForm(event: APIGatewayProxyEventV2): Promise<{ session: SsoSession; form: URLSearchParams }> {
  assertPostedFromReviewPage(event.headers ?? {}, publicBaseUrl());
  assertBodyWithin(event, MAX_BODY_BYTES);
  const session = await sessionOf(event);
  const form = new URLSearchParams(rawBody(event));
  assertCsrfToken(session, form.get('csrf') ?? undefined);
  return { session, form };
}

const listQuery = z.object({ source: z.optional(z.enum(SOURCE_KINDS)) });
const decisionForm = z.object({
  decision: z.enum(['approve', 'reject']),
  comment: z.pipe(
    z.optional(z.string().check(z.trim(), z.maxLength(1000))),
    z.transform((comment: string | undefined) => comment || undefined),
  ),
});
const batchIds = z
  .array(z.string().check(z.regex(APPROVAL_ID_PATTERN)))
  .check(z.minLength(1, 'select at least one approval'), z.maxLength(MAX_BATCH));

function approvalIdOf(event: APIGatewayProxyEventV2): string {
  const id = event.pathParameters?.id ?? '';
  if (!APPROVAL_ID_PATTERN.test(id)) throw new ApprovalNotFoundError(id.slice(0, 64));
  return id;
}

const routes = [
  {
    method: 'GET' as const,
    path: '/inbox/login',
    handler: async (event: APIGatewayProxyEventV2) => {
      const returnTo = safeReturnPath(event.queryStringParameters?.return);
      const { authorizationUrl, pending } = await beginSignIn(await issuerConfiguration(), redirectUri(), returnTo);
      const sealed = await sealPendingSignIn(await ssoSessionKeys(), pending, dependencies.clock.now());
      return redirect(authorizationUrl.href, [setCookie(SIGN_IN_COOKIE, sealed, 600)]);
    },
  },
  {
    method: 'GET' as const,
    path: '/inbox/callback',
    handler: async (event: APIGatewayProxyEventV2) => {
      const keys = await ssoSessionKeys();
      const now = dependencies.clock.now();
      const pending = await openPendingSignIn(keys, cookieValue(event.cookies, SIGN_IN_COOKIE), now).catch((error) => {
        throw new SsoSignInError('state', { cause: error });
      });
      const callbackUrl = new URL(redirectUri());
      callbackUrl.search = event.rawQueryString ?? '';
      const identity = await completeSignIn(
        await issuerConfiguration(),
        callbackUrl,
        pending,
        policy.allowedIdentities,
      );
      const { value } = await sealSession(keys, identity, now, sessionSeconds);
      logger.info('signed in', { identity });
      return redirect(pending.returnTo, [
        setCookie(SESSION_COOKIE, value, sessionSeconds),
        clearCookie(SIGN_IN_COOKIE),
      ]);
    },
  },
  {
    method: 'POST' as const,
    path: '/inbox/logout',
    handler: async (event: APIGatewayProxyEventV2) => {
      await postedForm(event);
      return withCookies(renderSignedOutPage(), [clearCookie(SESSION_COOKIE)]);
    },
  },
  {
    method: 'GET' as const,
    path: '/inbox',
    handler: signedInPage(async (session, event) => {
      const { source } = parseWith(listQuery, event.queryStringParameters ?? {}, ['query']);
      const mine = await listMyPendingApprovals(inbox, { identity: session.identity, ...(source ? { source } : {}) });
      return renderInboxPage({
        viewer: viewerOf(session),
        items: mine.items.map((item) => ({ ...item, approval: toPublicApproval(item.approval) })),
        bySource: mine.bySource,
        ...(source ? { source } : {}),
        now: dependencies.clock.now(),
        truncated: mine.truncated,
      });
    }),
  },
  {
    method: 'GET' as const,
    path: '/inbox/history',
    handler: signedInPage(async (session) => {
      const items = await listMyHistory(inbox, { identity: session.identity });
      return renderHistoryPage({
        viewer: viewerOf(session),
        items: items.map((item) => ({ ...item, approval: toPublicApproval(item.approval) })),
      });
    }),
  },
  {
    method: 'GET' as const,
    path: '/inbox/approvals/{id}',
    handler: signedInPage(async (session, event) => {
      const id = approvalIdOf(event);
      const approval = await dependencies.store.get(id);
      if (!approval) throw new ApprovalNotFoundError(id);
      // Only the people the policy lets decide it see it here.
      if (!isApproverOf(approval, session.identity, policy)) throw new NotAnApproverError(id, session.identity);
      const shown = toPublicApproval(approval);
      return renderApprovalPage({
        approval: shown,
        viewer: session.identity,
        now: dependencies.clock.now(),
        consoleLinks: consoleLinksFor(shown, region),
        formAction: `/inbox/approvals/${id}/decision`,
        hiddenFields: { csrf: session.csrfToken },
        people: policy,
        header: inboxHeader(viewerOf(session)),
        ...(event.queryStringParameters?.done === '1' ? { notice: decisionMessage(shown) } : {}),
      });
    }),
  },
  {
    method: 'POST' as const,
    path: '/inbox/approvals/{id}/decision',
    handler: async (event: APIGatewayProxyEventV2) => {
      const approvalId = approvalIdOf(event);
      const { session, form } = await postedForm(event);
      const { decision, comment } = parseWith(decisionForm, Object.fromEntries(form));
      await decideApproval(dependencies, {
        approvalId,
        approver: session.identity,
        channel: 'sso',
        decision,
        ...(comment ? { comment } : {}),
      });
      // Post/Redirect/Get: reloading the page shows the approval, and never posts the decision again.
      return redirect(`/inbox/approvals/${approvalId}?done=1`);
    },
  },
  {
    method: 'POST' as const,
    path: '/inbox/decisions',
    handler: async (event: APIGatewayProxyEventV2) => {
      const { session, form } = await postedForm(event);
      const { decision, comment } = parseWith(decisionForm, {
        decision: form.get('decision') ?? undefined,
        comment: form.get('comment') ?? undefined,
      });
      const approvalIds = parseWith(batchIds, form.getAll('id'), ['id']);
      const results = await decideBatch(dependencies, {
        identity: session.identity,
        approvalIds,
        decision,
        ...(comment ? { comment } : {}),
      });
      const lines = results.map((result) => {
        if (result.ok) {
          return {
            approvalId: result.approvalId,
            approval: result.approval,
            ok: true,
            message: decisionMessage(result.approval),
          };
        }
        const described = describeHttpError(result.error);
        if (!described.expected) {
          logger.error('batch decision failed', {
            approvalId: result.approvalId,
            errorName: result.error instanceof Error ? result.error.name : typeof result.error,
          });
        }
        return { approvalId: result.approvalId, ok: false, message: `refused: ${described.message}` };
      });
      return renderBatchResultPage({ viewer: viewerOf(session), decision, lines });
    },
  },
];

export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(htmlErrorPages(logger))
  .handler(routeHandler(routes));
