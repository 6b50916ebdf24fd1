/**
 * The inbox's cookies: the session after sign-in, and the short-lived state of a sign-in under way (PKCE verifier,
 * state, nonce). Both are JWTs encrypted with `dir` + `A256GCM` (jose), so they are tamper-evident and unreadable
 * outside Greenlight, under a key with an id taken from SSM (`{"currentKeyId", "keys"}`, like the review-link keys):
 * removing a key ends every session it sealed. Each token says what it is for (`use`), so a sign-in state cookie can
 * never pass as a session.
 *
 * Cookies are `__Host-` prefixed (Secure, Path=/, no Domain: no sibling subdomain can plant one), HttpOnly,
 * SameSite=Lax. The session carries a random CSRF token that every inbox form posts back (synchroniser token).
 */
import { createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { EncryptJWT, errors as joseErrors, jwtDecrypt } from 'jose';
import { CsrfTokenError, InvalidSsoSessionError, SigningKeyConfigurationError } from './errors';

export interface SsoSessionKeys {
  /** The key new cookies are sealed with. */
  currentKeyId: string;
  /** Every key still accepted, by id (secrets as strings, at least 32 characters). */
  keys: Record<string, string>;
}

export interface SsoSession {
  /** The canonical `email:` identity the issuer's ID token proved. */
  identity: string;
  /** Posted back by every inbox form. */
  csrfToken: string;
  expiresAt: Date;
}

export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Where to go after signing in: a path under /inbox. */
  returnTo: string;
}

export const SESSION_COOKIE = '__Host-greenlight-session';
export const SIGN_IN_COOKIE = '__Host-greenlight-sign-in';
/** Default session length: short, so a lost laptop or a removed person stops deciding within the hour. */
export const DEFAULT_SESSION_SECONDS = 60 * 60;
const SIGN_IN_SECONDS = 10 * 60;
const MIN_SECRET_LENGTH = 32;
const MAX_COOKIE_LENGTH = 4096;

/** A 256-bit key per secret, bound to this purpose (HKDF-SHA256), whatever the secret's format. */
function derivedKey(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'greenlight', 'greenlight/sso-session/v1', 32));
}

function keyFor(keys: SsoSessionKeys, keyId: string): Uint8Array | undefined {
  if (!Object.hasOwn(keys.keys, keyId)) return undefined;
  const secret = keys.keys[keyId];
  return typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH ? derivedKey(secret) : undefined;
}

async function seal(
  keys: SsoSessionKeys,
  use: 'session' | 'sign-in',
  claims: Record<string, string>,
  now: Date,
  seconds: number,
): Promise<string> {
  const key = keyFor(keys, keys.currentKeyId);
  if (key === undefined) {
    throw new SigningKeyConfigurationError(
      'sso-session',
      `the current key id has no key of at least ${MIN_SECRET_LENGTH} characters`,
    );
  }
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new EncryptJWT({ ...claims, use })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: keys.currentKeyId })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + seconds)
    .encrypt(key);
}

async function open(
  keys: SsoSessionKeys,
  use: 'session' | 'sign-in',
  token: string | undefined,
  now: Date,
): Promise<Record<string, unknown>> {
  if (token === undefined || token === '') throw new InvalidSsoSessionError('missing');
  if (token.length > MAX_COOKIE_LENGTH) throw new InvalidSsoSessionError('invalid');
  try {
    const { payload } = await jwtDecrypt(
      token,
      (header) => {
        const key = typeof header.kid === 'string' ? keyFor(keys, header.kid) : undefined;
        if (key === undefined) throw new InvalidSsoSessionError('invalid');
        return key;
      },
      {
        currentDate: now,
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
        requiredClaims: ['exp', 'iat'],
      },
    );
    if (payload.use !== use) throw new InvalidSsoSessionError('invalid');
    return payload;
  } catch (error) {
    if (error instanceof InvalidSsoSessionError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new InvalidSsoSessionError('expired', { cause: error });
    throw new InvalidSsoSessionError('invalid', { cause: error });
  }
}

/** A new session for this identity: the cookie value and what it holds. */
export async function sealSession(
  keys: SsoSessionKeys,
  identity: string,
  now: Date,
  seconds = DEFAULT_SESSION_SECONDS,
): Promise<{ value: string; session: SsoSession }> {
  const csrfToken = randomBytes(32).toString('base64url');
  const value = await seal(keys, 'session', { sub: identity, csrf: csrfToken }, now, seconds);
  return { value, session: { identity, csrfToken, expiresAt: new Date(now.getTime() + seconds * 1000) } };
}

/** The session a cookie holds; InvalidSsoSessionError when there is none, it was tampered with, or it expired. */
export async function openSession(keys: SsoSessionKeys, value: string | undefined, now: Date): Promise<SsoSession> {
  const payload = await open(keys, 'session', value, now);
  if (typeof payload.sub !== 'string' || typeof payload.csrf !== 'string' || typeof payload.exp !== 'number') {
    throw new InvalidSsoSessionError('invalid');
  }
  return { identity: payload.sub, csrfToken: payload.csrf, expiresAt: new Date(payload.exp * 1000) };
}

export function sealPendingSignIn(keys: SsoSessionKeys, pending: PendingSignIn, now: Date): Promise<string> {
  return seal(
    keys,
    'sign-in',
    { st: pending.state, no: pending.nonce, cv: pending.codeVerifier, rt: pending.returnTo },
    now,
    SIGN_IN_SECONDS,
  );
}

export async function openPendingSignIn(
  keys: SsoSessionKeys,
  value: string | undefined,
  now: Date,
): Promise<PendingSignIn> {
  const payload = await open(keys, 'sign-in', value, now);
  const { st, no, cv, rt } = payload;
  if (typeof st !== 'string' || typeof no !== 'string' || typeof cv !== 'string' || typeof rt !== 'string') {
    throw new InvalidSsoSessionError('invalid');
  }
  return { state: st, nonce: no, codeVerifier: cv, returnTo: safeReturnPath(rt) };
}

/** Throws CsrfTokenError unless the posted token is the session's (constant time). */
export function assertCsrfToken(session: SsoSession, posted: string | undefined): void {
  if (typeof posted !== 'string' || posted === '') throw new CsrfTokenError();
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  if (!timingSafeEqual(digest(posted), digest(session.csrfToken))) throw new CsrfTokenError();
}

/** Only inbox paths: an open redirect after sign-in would hand the person to anyone's page. */
export function safeReturnPath(path: string | undefined): string {
  if (typeof path !== 'string' || !/^\/inbox(?:[/?][A-Za-z0-9_\-./?=&%]*)?$/.test(path) || path.includes('//')) {
    return '/inbox';
  }
  return path;
}

/** `Set-Cookie` values (API Gateway payload 2.0 `cookies`). */
export function setCookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; Secure; SameSite=Lax`;
}

export function clearCookie(name: string): string {
  return `${name}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`;
}

/** A cookie's value from API Gateway's `cookies` (one `name=value` each); the first wins, as browsers send the most specific first. */
export function cookieValue(cookies: readonly string[] | undefined, name: string): string | undefined {
  for (const cookie of cookies ?? []) {
    for (const part of cookie.split(';')) {
      const index = part.indexOf('=');
      if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
    }
  }
  return undefined;
}
