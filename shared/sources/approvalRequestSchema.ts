/**
 * The approval request a caller puts in its event (Step Functions `Approval Requested` detail, or the payload of a
 * direct `lambda:invoke.waitForTaskToken`; a Lambda durable function's `Approval Requested` detail). Documented in
 * docs/sources/stepfunctions.md ("Request contract") and docs/sources/lambda.md. The fields are shared; each source
 * adds what answers its wait (a task token, a callback id).
 */
import { identityField } from '../domain/identityField';
import * as z from '../domain/zodMini';

/**
 * Caps that keep every approval item far below DynamoDB's 400 KB (the arithmetic: test/unit/domain/approvalLimits):
 * the request as a whole, and the counts of context fields and links.
 */
export const MAX_REQUEST_BYTES = 32 * 1024;
export const MAX_CONTEXT_FIELDS = 20;
export const MAX_CONTEXT_LINKS = 20;
/** The schedule runs every 5 minutes; a heartbeat interval must leave room for one sweep to be late. */
export const MIN_HEARTBEAT_SECONDS = 600;

export const contextSchema = z.optional(
  z.object({
    links: z.optional(
      z
        .array(
          z.object({
            label: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
            url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).check(z.maxLength(2000)),
          }),
        )
        .check(z.maxLength(MAX_CONTEXT_LINKS)),
    ),
    fields: z.optional(
      z.record(z.string().check(z.minLength(1), z.maxLength(100)), z.string().check(z.maxLength(1000))).check(
        z.refine((fields) => Object.keys(fields).length <= MAX_CONTEXT_FIELDS, {
          message: `must have at most ${MAX_CONTEXT_FIELDS} fields`,
        }),
      ),
    ),
  }),
);

/** Step Functions task tokens are opaque; the API accepts up to 2048 characters in current models. */
export const taskTokenSchema = z
  .string({ error: 'is required (pass $$.Task.Token)' })
  .check(z.minLength(1, 'must not be empty'), z.maxLength(2048, 'is longer than any Step Functions task token'));

/** What every request may say, whatever answers its wait. */
export const approvalRequestFields = {
  // One line, shown everywhere (terminals included): no control characters that could repaint what people read.
  title: z.optional(
    z
      .string()
      .check(
        z.trim(),
        z.minLength(1),
        z.maxLength(200),
        z.regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
      ),
  ),
  description: z.optional(z.string().check(z.maxLength(4000))),
  approvers: z.optional(z.array(identityField).check(z.maxLength(100))),
  requiredApprovals: z.optional(z.number().check(z.int(), z.gte(1), z.lte(20))),
  requestedBy: z.optional(identityField),
  timeoutSeconds: z.optional(z.number().check(z.int(), z.gte(60), z.lte(365 * 24 * 60 * 60))),
  context: contextSchema,
  /**
   * The Task's `HeartbeatSeconds` (Step Functions) or the callback's `heartbeatTimeout` (Lambda): Greenlight's
   * schedule (every 5 minutes) sends a heartbeat while the approval is open, so the workflow fails fast if Greenlight
   * stops. At least twice the schedule's interval.
   */
  heartbeatSeconds: z.optional(z.number().check(z.int(), z.gte(MIN_HEARTBEAT_SECONDS), z.lte(365 * 24 * 60 * 60))),
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
  .check(z.refine(quorumReachable, QUORUM_UNREACHABLE));

/** The size a request is measured by: its JSON in UTF-8 bytes. */
export function requestBytes(request: unknown): number {
  return Buffer.byteLength(JSON.stringify(request) ?? '', 'utf8');
}

export type ApprovalRequest = z.output<typeof approvalRequestSchema>;
