/**
 * `Approval Decision` events on Greenlight's decisions bus: { approvalId, decision, approver, comment? } → decide.
 * Only the senders the bus policy names can put them; the vote records the event's `source` as who acted.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { applyDecisionEvent } from '../shared/app/applyDecisionEvent';
import { APPROVAL_ID_PATTERN } from '../shared/domain/approval';
import { identityField } from '../shared/domain/identityField';
import * as z from '../shared/domain/zodMini';
import { createDecisionDependencies } from '../shared/runtime/decisionDependencies';
import { logger } from '../shared/runtime/logger';
import { logRejectedEvents } from '../shared/runtime/logRejectedEvents';
import { eventBridgeEnvelope } from '../shared/sources/eventBridgeEnvelope';
import { parseEvent } from '../shared/sources/parseEvent';

const dependencies = createDecisionDependencies();

export const APPROVAL_DECISION_DETAIL_TYPE = 'Approval Decision';

const decisionEventSchema = z.object({
  ...eventBridgeEnvelope,
  'detail-type': z.literal(APPROVAL_DECISION_DETAIL_TYPE),
  detail: z.strictObject({
    approvalId: z.string().check(z.regex(APPROVAL_ID_PATTERN, 'must be an approval id (apr_…)')),
    decision: z.enum(['approve', 'reject']),
    approver: identityField,
    comment: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
  }),
});

export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(logRejectedEvents(logger))
  .handler(async (event: unknown) => {
    const { detail, source } = parseEvent(decisionEventSchema, event, undefined, 'Approval Decision event');
    return applyDecisionEvent(dependencies, {
      approvalId: detail.approvalId,
      decision: detail.decision,
      approver: detail.approver,
      via: `eventbridge:${source}`,
      ...(detail.comment ? { comment: detail.comment } : {}),
    });
  });
