/**
 * lifecycle: a workflow-ended event (Step Functions execution, Image Builder image, SSM automation reached a
 * terminal status) closes its pending approvals as cancelled; the schedule sweeps open approvals (expire overdue,
 * finish interrupted answers, re-check old ones against the source, remind).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { closeEndedWorkflow, sweepOpenApprovals } from '../shared/app/lifecycle';
import { createLifecycleDependencies } from '../shared/runtime/lifecycleDependencies';
import { logger } from '../shared/runtime/logger';
import { logRejectedEvents } from '../shared/runtime/logRejectedEvents';
import { isEventBridgeEvent } from '../shared/sources/parseEvent';
import { workflowEndedFrom } from '../shared/sources/sources';

const dependencies = createLifecycleDependencies();

export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(logRejectedEvents(logger))
  .handler(async (event: unknown) => {
    if (isEventBridgeEvent(event, ['Scheduled Event'], 'aws.events')) {
      const summary = await sweepOpenApprovals(dependencies, (approval) =>
        dependencies.events.publish('Approval Reminder Due', approval),
      );
      logger.info('sweep done', { ...summary });
      return summary;
    }
    const closed = await closeEndedWorkflow(dependencies, workflowEndedFrom(event));
    return { closed: closed.filter((approval) => approval.status === 'cancelled').map((approval) => approval.id) };
  });
