/**
 * capture: EventBridge (Step Functions `Approval Requested`, Image Builder step waiting, SSM automation waiting) or a
 * direct `lambda:invoke.waitForTaskToken` call → one pending approval in DynamoDB.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import { captureWaitingItem } from '../shared/app/captureWaitingItem';
import { systemClock } from '../shared/app/ports';
import { EventBridgeApprovalEvents } from '../shared/channels/eventBridgeApprovalEvents';
import { createDocumentClient } from '../shared/runtime/createDocumentClient';
import { listEnv, requireEnv } from '../shared/runtime/environment';
import { logger } from '../shared/runtime/logger';
import { logRejectedEvents } from '../shared/runtime/logRejectedEvents';
import { policyDocument } from '../shared/runtime/policy';
import { createSourceClients, createSourceResumers, createWaitingSources } from '../shared/sources/sources';
import { DynamoApprovalStore } from '../shared/store/dynamoApprovalStore';

// SSM to read a waiting aws:approve step; every source's answer call only to refuse a wait nobody may decide.
const clients = createSourceClients();

const dependencies = {
  store: new DynamoApprovalStore(createDocumentClient(), requireEnv('APPROVALS_TABLE_NAME')),
  sources: createWaitingSources(
    clients,
    // Greenlight's roles that answer SSM waits, comma-separated (serverless.yml): not people, left out of approvers.
    { ownRoleArns: listEnv('GREENLIGHT_ROLE_ARN') },
  ),
  clock: systemClock,
  log: logger,
  policy: policyDocument,
  refusers: createSourceResumers(clients),
  events: new EventBridgeApprovalEvents(new EventBridgeClient({}), requireEnv('EVENT_BUS_NAME')),
};

export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(logRejectedEvents(logger))
  .handler((event: unknown) => captureWaitingItem(dependencies, event));
