/**
 * Signing secrets come from SSM Parameter Store (SecureString), read through Powertools Parameters: fetched on first
 * use, cached for five minutes, so a rotation reaches every warm function within that time.
 */
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import type { ReviewLinkKeys } from '../channels/reviewLinks';
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
export async function readSecureParameter(parameterName: string): Promise<string> {
  const value = await getParameter(parameterName, { decrypt: true, maxAge: CACHE_SECONDS });
  if (typeof value !== 'string' || value === '') throw new InvalidSecretParameterError(parameterName, 'is empty');
  return value;
}

/** The REST API's HMAC secrets: one secret, or a JSON array of secrets while rotating (all accepted). */
export async function restSigningSecrets(): Promise<string[]> {
  const parameterName = requireEnv('REST_SIGNING_SECRET_PARAMETER');
  const value = await readSecureParameter(parameterName);
  if (!value.trimStart().startsWith('[')) return [value];
  const secrets: unknown = JSON.parse(value);
  if (!Array.isArray(secrets) || !secrets.every((secret) => typeof secret === 'string' && secret !== '')) {
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
