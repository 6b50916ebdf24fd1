/** What every function that takes decisions needs, built once per cold start. */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DecideDependencies } from '../app/decideApproval';
import { systemClock } from '../app/ports';
import { EventBridgeApprovalEvents } from '../channels/eventBridgeApprovalEvents';
import { createSourceClients, createSourceResumers, type SourceClients } from '../sources/sources';
import { DynamoApprovalStore } from '../store/dynamoApprovalStore';
import { createDocumentClient } from './createDocumentClient';
import { requireEnv } from './environment';
import { logger } from './logger';
import { policyDocument } from './policy';

export function createDecisionDependencies(clients: SourceClients = createSourceClients()): DecideDependencies {
  return {
    store: new DynamoApprovalStore(createDocumentClient(), requireEnv('APPROVALS_TABLE_NAME')),
    resumers: createSourceResumers(clients),
    events: new EventBridgeApprovalEvents(new EventBridgeClient({}), requireEnv('EVENT_BUS_NAME')),
    people: policyDocument.people,
    ...(policyDocument.identities?.allowed ? { allowedIdentities: policyDocument.identities.allowed } : {}),
    ...(policyDocument.identities?.identityCenterAccounts
      ? { identityCenterAccounts: policyDocument.identities.identityCenterAccounts }
      : {}),
    clock: systemClock,
    log: logger,
    ...(process.env.RESUME_LEASE_SECONDS ? { resumeLeaseSeconds: Number(process.env.RESUME_LEASE_SECONDS) } : {}),
  };
}
