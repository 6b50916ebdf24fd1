/**
 * `Approval Decision` events on Greenlight's decisions bus: { approvalId, decision, approver, comment? } → decide.
 * Only the senders the bus policy names can put them; the vote records the event's `source` as who acted.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import middy from '@middy/core';
import { z } from 'zod';
import { applyDecisionEvent } from '../shared/app/applyDecisionEvent';
import { APPROVAL_ID_PATTERN } from '../shared/domain/approval';
import { identitySchema } from '../shared/domain/identitySchema';
import { createDecisionDependencies } from '../shared/runtime/decisionDependencies';
import { logger } from '../shared/runtime/logger';
import { logRejectedEvents } from '../shared/runtime/logRejectedEvents';
import { parseEvent } from '../shared/sources/parseEvent';

const dependencies = createDecisionDependencies();

export const APPROVAL_DECISION_DETAIL_TYPE = 'Approval Decision';

const decisionEventSchema = EventBridgeSchema.extend({
  'detail-type': z.literal(APPROVAL_DECISION_DETAIL_TYPE),
  detail: z
    .object({
      approvalId: z.string().regex(APPROVAL_ID_PATTERN, 'must be an approval id (apr_…)'),
      decision: z.enum(['approve', 'reject']),
      approver: identitySchema,
      comment: z.string().trim().max(1000).optional(),
    })
    .strict(),
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
