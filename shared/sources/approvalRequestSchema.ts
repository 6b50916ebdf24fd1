/**
 * The approval request a caller puts in its event (Step Functions `Approval Requested` detail, or the payload of a
 * direct `lambda:invoke.waitForTaskToken`). Documented in the README ("Step Functions request contract").
 */
import { z } from 'zod';
import { IDENTITY_PATTERN, IDENTITY_RULE } from '../domain/identity';

export const identitySchema = z.string().trim().max(512).regex(IDENTITY_PATTERN, IDENTITY_RULE);

export const contextSchema = z
  .object({
    links: z
      .array(
        z.object({
          label: z.string().trim().min(1).max(100),
          url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000),
        }),
      )
      .max(20)
      .optional(),
    fields: z.record(z.string().min(1).max(100), z.string().max(1000)).optional(),
  })
  .optional();

/** Step Functions task tokens are opaque; the API accepts up to 2048 characters in current models. */
export const taskTokenSchema = z
  .string({ error: 'is required (pass $$.Task.Token)' })
  .min(1, 'must not be empty')
  .max(2048, 'is longer than any Step Functions task token');

export const approvalRequestSchema = z
  .object({
    taskToken: taskTokenSchema,
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(4000).optional(),
    approvers: z.array(identitySchema).max(100).optional(),
    requiredApprovals: z.number().int().min(1).max(20).optional(),
    requestedBy: identitySchema.optional(),
    timeoutSeconds: z
      .number()
      .int()
      .min(60)
      .max(365 * 24 * 60 * 60)
      .optional(),
    context: contextSchema,
  })
  .refine(
    (request) =>
      request.approvers === undefined ||
      request.approvers.length === 0 ||
      (request.requiredApprovals ?? 1) <= request.approvers.length,
    { message: 'requiredApprovals cannot exceed the number of approvers', path: ['requiredApprovals'] },
  );

export type ApprovalRequest = z.output<typeof approvalRequestSchema>;
