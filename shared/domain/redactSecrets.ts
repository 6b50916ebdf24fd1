/**
 * Last line of defence for log lines built from error messages we do not control (an SDK error could echo a task
 * token): long opaque runs of token-like characters are replaced.
 */
const OPAQUE_RUN = /[A-Za-z0-9+/=_-]{64,}/g;

export function redactSecrets(text: string): string {
  return text.replace(OPAQUE_RUN, '[redacted]');
}
