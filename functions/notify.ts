/**
 * notify: Greenlight's own events (source `greenlight`) → the approval's Slack message and e-mails brought in line
 * with its current state. Failures to deliver are recorded and make the invocation fail, so Lambda retries it.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { followUpApprovers, notifyApprovers } from '../shared/app/notifyApprovers';
import { APPROVAL_ID_PATTERN } from '../shared/domain/approval';
import * as z from '../shared/domain/zodMini';
import { logger } from '../shared/runtime/logger';
import { logRejectedEvents } from '../shared/runtime/logRejectedEvents';
import { createNotifyDependencies } from '../shared/runtime/notifyDependencies';
import { eventBridgeEnvelope } from '../shared/sources/eventBridgeEnvelope';
import { parseEvent } from '../shared/sources/parseEvent';

const dependencies = createNotifyDependencies();

const approvalEventSchema = z.object({
  ...eventBridgeEnvelope,
  source: z.literal('greenlight'),
  detail: z.object({ approvalId: z.string().check(z.regex(APPROVAL_ID_PATTERN, 'must be an approval id')) }),
});

export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(logRejectedEvents(logger))
  .handler(async (event: unknown) => {
    const envelope = parseEvent(approvalEventSchema, event, undefined, 'Greenlight approval event');
    return envelope['detail-type'] === 'Approval Reminder Due'
      ? followUpApprovers(dependencies, envelope.detail.approvalId)
      : notifyApprovers(dependencies, envelope.detail.approvalId);
  });
