/**
 * capture: EventBridge (Step Functions `Approval Requested`, Image Builder step waiting, SSM automation waiting) or a
 * direct `lambda:invoke.waitForTaskToken` call → one pending approval in DynamoDB.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';
import { captureWaitingItem } from '../shared/app/captureWaitingItem';
import { systemClock } from '../shared/app/ports';
import { createDocumentClient } from '../shared/runtime/createDocumentClient';
import { requireEnv } from '../shared/runtime/environment';
import { logger } from '../shared/runtime/logger';
import { logRejectedEvents } from '../shared/runtime/logRejectedEvents';
import { createWaitingSources } from '../shared/sources/waitingSources';
import { DynamoApprovalStore } from '../shared/store/dynamoApprovalStore';

const dependencies = {
  store: new DynamoApprovalStore(createDocumentClient(), requireEnv('APPROVALS_TABLE_NAME')),
  sources: createWaitingSources({ ssm: new SSMClient({}) }),
  clock: systemClock,
  log: logger,
};

export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(logRejectedEvents(logger))
  .handler((event: unknown) => captureWaitingItem(dependencies, event));
