/**
 * capture: EventBridge (Step Functions `Approval Requested`, Image Builder step waiting, SSM automation waiting) or a
 * direct `lambda:invoke.waitForTaskToken` call → one pending approval in DynamoDB.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';
import { captureWaitingItem } from '../shared/app/captureWaitingItem';
import { systemClock } from '../shared/app/ports';
import { EventBridgeApprovalEvents } from '../shared/channels/eventBridgeApprovalEvents';
import { createDocumentClient } from '../shared/runtime/createDocumentClient';
import { requireEnv } from '../shared/runtime/environment';
import { logger } from '../shared/runtime/logger';
import { logRejectedEvents } from '../shared/runtime/logRejectedEvents';
import { policyDocument } from '../shared/runtime/policy';
import { createWaitingSources } from '../shared/sources/waitingSources';
import { DynamoApprovalStore } from '../shared/store/dynamoApprovalStore';

const dependencies = {
  store: new DynamoApprovalStore(createDocumentClient(), requireEnv('APPROVALS_TABLE_NAME')),
  sources: createWaitingSources(
    { ssm: new SSMClient({}) },
    process.env.GREENLIGHT_ROLE_ARN ? { ownRoleArn: process.env.GREENLIGHT_ROLE_ARN } : {},
  ),
  clock: systemClock,
  log: logger,
  policy: policyDocument,
  events: new EventBridgeApprovalEvents(new EventBridgeClient({}), requireEnv('EVENT_BUS_NAME')),
};

export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(logRejectedEvents(logger))
  .handler((event: unknown) => captureWaitingItem(dependencies, event));
