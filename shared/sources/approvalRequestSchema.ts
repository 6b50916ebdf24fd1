/**
 * The approval request a caller puts in its event (Step Functions `Approval Requested` detail, or the payload of a
 * direct `lambda:invoke.waitForTaskToken`; a Lambda durable function's `Approval Requested` detail). Documented in
 * docs/sources/stepfunctions.md ("Request contract") and docs/sources/lambda.md. The fields are shared; each source
 * adds what answers its wait (a task token, a callback id).
 */
import { z } from 'zod';
import { identitySchema } from '../domain/identitySchema';

/**
 * Caps that keep every approval item far below DynamoDB's 400 KB (the arithmetic: test/unit/domain/approvalLimits):
 * the request as a whole, and the counts of context fields and links.
 */
export const MAX_REQUEST_BYTES = 32 * 1024;
export const MAX_CONTEXT_FIELDS = 20;
export const MAX_CONTEXT_LINKS = 20;
/** The schedule runs every 5 minutes; a heartbeat interval must leave room for one sweep to be late. */
export const MIN_HEARTBEAT_SECONDS = 600;

export const contextSchema = z
  .object({
    links: z
      .array(
        z.object({
          label: z.string().trim().min(1).max(100),
          url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000),
        }),
      )
      .max(MAX_CONTEXT_LINKS)
      .optional(),
    fields: z
      .record(z.string().min(1).max(100), z.string().max(1000))
      .refine((fields) => Object.keys(fields).length <= MAX_CONTEXT_FIELDS, {
        message: `must have at most ${MAX_CONTEXT_FIELDS} fields`,
      })
      .optional(),
  })
  .optional();

/** Step Functions task tokens are opaque; the API accepts up to 2048 characters in current models. */
export const taskTokenSchema = z
  .string({ error: 'is required (pass $$.Task.Token)' })
  .min(1, 'must not be empty')
  .max(2048, 'is longer than any Step Functions task token');

/** What every request may say, whatever answers its wait. */
export const approvalRequestFields = {
  // One line, shown everywhere (terminals included): no control characters that could repaint what people read.
  title: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
    .optional(),
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
  /**
   * The Task's `HeartbeatSeconds` (Step Functions) or the callback's `heartbeatTimeout` (Lambda): Greenlight's
   * schedule (every 5 minutes) sends a heartbeat while the approval is open, so the workflow fails fast if Greenlight
   * stops. At least twice the schedule's interval.
   */
  heartbeatSeconds: z
    .number()
    .int()
    .min(MIN_HEARTBEAT_SECONDS)
    .max(365 * 24 * 60 * 60)
    .optional(),
};

/** A request's quorum must be reachable by the approvers it names: every source's request schema refines with it. */
export function quorumReachable(request: { approvers?: string[]; requiredApprovals?: number }): boolean {
  return (
    request.approvers === undefined ||
    request.approvers.length === 0 ||
    (request.requiredApprovals ?? 1) <= new Set(request.approvers).size
  );
}
export const QUORUM_UNREACHABLE = {
  message: 'requiredApprovals cannot exceed the number of approvers',
  path: ['requiredApprovals'],
};

export const approvalRequestSchema = z
  .object({ taskToken: taskTokenSchema, ...approvalRequestFields })
  .refine(quorumReachable, QUORUM_UNREACHABLE);

/** The size a request is measured by: its JSON in UTF-8 bytes. */
export function requestBytes(request: unknown): number {
  return Buffer.byteLength(JSON.stringify(request) ?? '', 'utf8');
}

export type ApprovalRequest = z.output<typeof approvalRequestSchema>;
