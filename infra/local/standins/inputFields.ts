import { AwsError } from './awsError';

export type Input = Record<string, unknown>;

interface StringRules {
  required?: boolean;
  min?: number;
  max?: number;
  /** Shape name of the error a bad value gets (the service's own validation error). */
  errorName: string;
}

/**
 * Reads a string member the way the service validates it: missing (when required), wrong type or
 * outside the length constraints answers with a 400 named `rules.errorName`.
 */
export function stringField(input: Input, name: string, rules: StringRules & { required: true }): string;
export function stringField(input: Input, name: string, rules: StringRules): string | undefined;
export function stringField(input: Input, name: string, rules: StringRules): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) {
    if (rules.required) throw new AwsError(rules.errorName, `1 validation error detected: ${name} is required`);
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new AwsError(rules.errorName, `1 validation error detected: Value at '${name}' must be a string`);
  }
  if (rules.min !== undefined && value.length < rules.min) {
    throw new AwsError(
      rules.errorName,
      `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length greater than or equal to ${rules.min}`,
    );
  }
  if (rules.max !== undefined && value.length > rules.max) {
    throw new AwsError(
      rules.errorName,
      `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length less than or equal to ${rules.max}`,
    );
  }
  return value;
}

/** Seconds since the epoch, as awsJson protocols put timestamps on the wire. */
export function epochSeconds(iso: string | undefined): number | undefined {
  return iso === undefined ? undefined : Date.parse(iso) / 1000;
}
