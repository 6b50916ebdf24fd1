/**
 * identityField (identityField.ts) for the schemas written with `zod` rather than zod/mini — those of shared/sources,
 * until they move over; then this module goes.
 */
import { z } from 'zod';
import { MAX_IDENTITY_LENGTH } from './identity';
import { canonicalOrIssue } from './identityField';

export const identitySchema = z
  .string()
  .max(MAX_IDENTITY_LENGTH * 2)
  .transform((value, context) => canonicalOrIssue(value, context));
