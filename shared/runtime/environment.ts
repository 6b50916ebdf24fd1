/** Reads configuration at cold start, failing loudly and early when something is missing. */
export class MissingConfigurationError extends Error {
  override readonly name = 'MissingConfigurationError';
  constructor(readonly variable: string) {
    super(`environment variable ${variable} is not set`);
  }
}

export function requireEnv(variable: string): string {
  const value = process.env[variable];
  if (value === undefined || value === '') throw new MissingConfigurationError(variable);
  return value;
}

/** A comma-separated list (entries trimmed, empty ones dropped); unset or empty is an empty list. */
export function listEnv(variable: string): string[] {
  return (process.env[variable] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}
