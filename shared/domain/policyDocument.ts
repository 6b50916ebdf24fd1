/** The policy file (infra/policy.json), validated when a function starts: a broken policy must fail loudly. */
import { z } from 'zod';
import { SOURCE_KINDS } from './approval';
import { IDENTITY_PATTERN, IDENTITY_RULE } from './identity';
import type { PolicyDocument } from './policy';

const identity = z.string().regex(IDENTITY_PATTERN, IDENTITY_RULE);
const slackChannel = z
  .string()
  .regex(/^(#[a-z0-9_-]{1,80}|[CG][A-Z0-9]{2,})$/, 'must be a Slack channel id (C…) or #name');
const approverEntry = z.union([identity, z.string().regex(/^person:[\w.-]+$/, 'must be an identity or person:<name>')]);

export const policyDocumentSchema = z
  .object({
    people: z.record(z.string().regex(/^[\w.-]+$/), z.array(identity).min(1)).default({}),
    rules: z
      .array(
        z.object({
          name: z.string().min(1),
          match: z.object({ source: z.enum(SOURCE_KINDS).optional(), resource: z.string().min(1).optional() }),
          approvers: z.array(approverEntry),
          requiredApprovals: z.number().int().min(1).optional(),
          requiredRejections: z.number().int().min(1).optional(),
          timeoutSeconds: z.number().int().min(60).optional(),
          slackChannel: slackChannel.optional(),
          emailRecipients: z
            .array(identity.refine((value) => value.startsWith('email:'), 'must be an email: identity'))
            .optional(),
        }),
      )
      .default([]),
    defaults: z.object({ slackChannel: slackChannel.optional() }).strict().optional(),
  })
  .strict();

export class InvalidPolicyError extends Error {
  override readonly name = 'InvalidPolicyError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function parsePolicyDocument(input: unknown): PolicyDocument {
  const result = policyDocumentSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new InvalidPolicyError(`the policy file is not valid: ${issues.join('; ')}`, { cause: result.error });
  }
  return result.data;
}
