/** An identity field in any input (requests, channels, the policy file): parsed into its canonical form. */
import type { $ZodRawIssue } from 'zod/v4/core';
import { InvalidIdentityError } from './errors';
import { canonicalIdentity, MAX_IDENTITY_LENGTH } from './identity';
import * as z from './zodMini';

/** The canonical identity, or an issue naming the rule the value breaks (never the value's problem as thrown). */
export function canonicalOrIssue(value: string, context: { issues: $ZodRawIssue[] }): string {
  try {
    return canonicalIdentity(value);
  } catch (error) {
    if (!(error instanceof InvalidIdentityError)) throw error;
    context.issues.push({ code: 'custom', message: error.rule, input: value });
    return z.NEVER;
  }
}

export const identityField = z.pipe(
  z.string().check(z.maxLength(MAX_IDENTITY_LENGTH * 2)),
  z.transform((value: string, context) => canonicalOrIssue(value, context)),
);
