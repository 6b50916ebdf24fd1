/**
 * Sign-in with the configured OpenID Connect issuer (openid-client v6): authorization code flow with PKCE (S256),
 * `state` and `nonce`. openid-client verifies the ID token — `iss` equal to the configured issuer, `aud` our client
 * id, `exp`/`iat`, `nonce`, and (enableNonRepudiationChecks) its signature with the issuer's published keys — before
 * we read a claim. We then need
 * `email_verified: true` and take `email:<address>` in canonical form: the identity the SSO channel proves.
 */
import * as oidc from 'openid-client';
import { InvalidIdentityError } from '../domain/errors';
import { canonicalIdentity, identityAllowed } from '../domain/identity';
import { SsoSignInError } from './errors';
import type { PendingSignIn } from './ssoSession';

export interface OidcSettings {
  /** The issuer identifier (its discovery document is `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export const OIDC_SCOPES = 'openid email profile';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The issuer's configuration from its discovery document. openid-client trusts an ID token from the token endpoint on
 * TLS alone (OIDC Core 3.1.3.7 allows it); we also check its signature against the issuer's published keys
 * (enableNonRepudiationChecks), so a forged or altered token is refused whatever the transport. Plain http only for
 * an issuer on this machine (local stack).
 */
export function discoverIssuer(
  settings: OidcSettings,
  options: { customFetch?: oidc.CustomFetch } = {},
): Promise<oidc.Configuration> {
  const issuer = new URL(settings.issuer);
  const loopback = issuer.protocol === 'http:' && LOOPBACK_HOSTS.has(issuer.hostname);
  return oidc.discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
    execute: loopback
      ? [oidc.enableNonRepudiationChecks, oidc.allowInsecureRequests]
      : [oidc.enableNonRepudiationChecks],
    ...(options.customFetch ? { [oidc.customFetch]: options.customFetch } : {}),
  });
}

/** Where to send the person, and what to keep (sealed in a cookie) until they come back. */
export async function beginSignIn(
  config: oidc.Configuration,
  redirectUri: string,
  returnTo: string,
): Promise<{ authorizationUrl: URL; pending: PendingSignIn }> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: OIDC_SCOPES,
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { authorizationUrl, pending: { state, nonce, codeVerifier, returnTo } };
}

/**
 * The canonical `email:` identity proved by the issuer's answer at `callbackUrl` (the redirect URI with the query the
 * issuer sent). Throws SsoSignInError for anything that does not verify; nothing is changed either way.
 */
export async function completeSignIn(
  config: oidc.Configuration,
  callbackUrl: URL,
  pending: PendingSignIn,
  allowedIdentities?: readonly string[],
): Promise<string> {
  let claims: { email?: unknown; email_verified?: unknown };
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (idToken === undefined) throw new SsoSignInError('issuer');
    // Issuers that keep the ID token small (oidc-provider's default, some Okta setups) give the e-mail address at the
    // UserInfo endpoint instead; its `sub` must be the ID token's.
    claims = (
      idToken.email === undefined ? await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub) : idToken
    ) as { email?: unknown; email_verified?: unknown };
  } catch (error) {
    if (error instanceof SsoSignInError) throw error;
    throw new SsoSignInError('issuer', { cause: error });
  }
  if (claims.email_verified !== true || typeof claims.email !== 'string') throw new SsoSignInError('email');
  let identity: string;
  try {
    identity = canonicalIdentity(`email:${claims.email}`);
  } catch (error) {
    if (error instanceof InvalidIdentityError) throw new SsoSignInError('identity', { cause: error });
    throw error;
  }
  if (allowedIdentities !== undefined && !identityAllowed(identity, allowedIdentities)) {
    throw new SsoSignInError('identity');
  }
  return identity;
}
