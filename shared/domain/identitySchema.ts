/** An identity field in any input (requests, channels, the policy file): parsed into its canonical form. */
import { z } from 'zod';
import { InvalidIdentityError } from './errors';
import { canonicalIdentity, MAX_IDENTITY_LENGTH } from './identity';

export const identitySchema = z
  .string()
  .max(MAX_IDENTITY_LENGTH * 2)
  .transform((value, context) => {
    try {
      return canonicalIdentity(value);
    } catch (error) {
      if (!(error instanceof InvalidIdentityError)) throw error;
      context.issues.push({ code: 'custom', message: error.rule, input: value });
      return z.NEVER;
    }
  });
