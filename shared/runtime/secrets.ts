/**
 * Signing secrets come from SSM Parameter Store (SecureString), read through Powertools Parameters: fetched on first
 * use, cached for five minutes, so a rotation reaches every warm function within that time.
 */
import { ParameterNotFoundError } from '@aws-lambda-powertools/parameters/errors';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import type { OidcSettings } from '../channels/oidcSignIn';
import type { ReviewLinkKeys } from '../channels/reviewLinks';
import type { SsoSessionKeys } from '../channels/ssoSession';
import { requireEnv } from './environment';

const CACHE_SECONDS = 300;

export class InvalidSecretParameterError extends Error {
  override readonly name = 'InvalidSecretParameterError';
  constructor(
    readonly parameterName: string,
    reason: string,
  ) {
    super(`parameter ${parameterName} ${reason}`);
  }
}

/** A SecureString parameter, decrypted and cached; an empty one is a configuration error. */
export async function readSecureParameter(
  parameterName: string,
  options: { throwOnMissing?: boolean } = {},
): Promise<string> {
  const value = await getParameter(parameterName, { decrypt: true, maxAge: CACHE_SECONDS, ...options });
  if (typeof value !== 'string' || value === '') throw new InvalidSecretParameterError(parameterName, 'is empty');
  return value;
}

/** Client names whose parameter was not found, until when (ms): a missing parameter is not asked for again at once. */
const missingClientParameters = new Map<string, number>();

/**
 * A REST client's HMAC secrets, from the SecureString `${REST_CLIENT_SECRETS_PREFIX}<client>`: one secret, or a JSON
 * array of secrets while rotating (all accepted). Undefined when the parameter does not exist (remembered for the
 * cache time, like a value). Call it only for clients the policy declares: the name becomes part of a parameter name.
 */
export async function restClientSecrets(client: string): Promise<string[] | undefined> {
  const prefix = requireEnv('REST_CLIENT_SECRETS_PREFIX');
  if (!prefix.endsWith('/')) throw new InvalidSecretParameterError(prefix, 'prefix must end with "/"');
  const parameterName = `${prefix}${client}`;
  const missingUntil = missingClientParameters.get(parameterName);
  if (missingUntil !== undefined && missingUntil > Date.now()) return undefined;
  let value: string;
  try {
    value = await readSecureParameter(parameterName, { throwOnMissing: true });
  } catch (error) {
    if (!(error instanceof ParameterNotFoundError)) throw error;
    missingClientParameters.set(parameterName, Date.now() + CACHE_SECONDS * 1000);
    return undefined;
  }
  missingClientParameters.delete(parameterName);
  return secretList(parameterName, value);
}

/** One secret, or a JSON array of secrets (non-empty strings). */
function secretList(parameterName: string, value: string): string[] {
  if (!value.trimStart().startsWith('[')) return [value];
  let secrets: unknown;
  try {
    secrets = JSON.parse(value);
  } catch {
    secrets = undefined;
  }
  if (
    !Array.isArray(secrets) ||
    secrets.length === 0 ||
    !secrets.every((secret) => typeof secret === 'string' && secret !== '')
  ) {
    throw new InvalidSecretParameterError(parameterName, 'must be a secret or a JSON array of secrets');
  }
  return secrets;
}

/** Review link keys: JSON `{"currentKeyId": "k2", "keys": {"k1": "…", "k2": "…"}}`. */
export async function reviewLinkKeys(): Promise<ReviewLinkKeys> {
  const parameterName = requireEnv('REVIEW_LINK_KEYS_PARAMETER');
  const keys = JSON.parse(await readSecureParameter(parameterName)) as ReviewLinkKeys;
  if (typeof keys?.currentKeyId !== 'string' || typeof keys.keys?.[keys.currentKeyId] !== 'string') {
    throw new InvalidSecretParameterError(parameterName, 'must hold {"currentKeyId", "keys": {id: secret}}');
  }
  return keys;
}

/** Inbox session keys (SSO_SESSION_KEYS_PARAMETER): JSON `{"currentKeyId": "s1", "keys": {"s1": "…"}}`. */
export async function ssoSessionKeys(): Promise<SsoSessionKeys> {
  const parameterName = requireEnv('SSO_SESSION_KEYS_PARAMETER');
  const keys = JSON.parse(await readSecureParameter(parameterName)) as SsoSessionKeys;
  if (typeof keys?.currentKeyId !== 'string' || typeof keys.keys?.[keys.currentKeyId] !== 'string') {
    throw new InvalidSecretParameterError(parameterName, 'must hold {"currentKeyId", "keys": {id: secret}}');
  }
  return keys;
}

/** The OpenID Connect issuer and client (SSO_OIDC_PARAMETER): JSON `{"issuer", "clientId", "clientSecret"}`. */
export async function oidcSettings(): Promise<OidcSettings> {
  const parameterName = requireEnv('SSO_OIDC_PARAMETER');
  const settings = JSON.parse(await readSecureParameter(parameterName)) as Partial<OidcSettings>;
  const { issuer, clientId, clientSecret } = settings ?? {};
  if (typeof issuer !== 'string' || typeof clientId !== 'string' || typeof clientSecret !== 'string') {
    throw new InvalidSecretParameterError(parameterName, 'must hold {"issuer", "clientId", "clientSecret"}');
  }
  return { issuer, clientId, clientSecret };
}
