/** Waiting Step Functions executions made in the local stack's stand-in and announced as a state machine would. */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { LOCAL_EVENT_BUS_NAME, type LocalStack } from '../../infra/local/localStack';
import { approvalIdFor } from '../../shared/domain/approval';

export interface WaitingRequest {
  stateMachine: string;
  title: string;
  approvers?: string[];
  requiredApprovals?: number;
  requestedBy?: string;
  fields?: Record<string, string>;
  timeoutSeconds?: number;
}

/** Starts a waiting execution and sends its `Approval Requested` event; returns the approval id. */
export async function requestApproval(stack: LocalStack, request: WaitingRequest): Promise<string> {
  const taskToken = `token-${randomUUID()}`;
  const execution = stack.standins.stepFunctions.startWaitingExecution({
    stateMachineName: request.stateMachine,
    executionName: randomUUID(),
    taskToken,
    input: {},
  });
  const client = new EventBridgeClient({});
  try {
    await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: LOCAL_EVENT_BUS_NAME,
            Source: 'com.example.deployments',
            DetailType: 'Approval Requested',
            Detail: JSON.stringify({
              taskToken,
              title: request.title,
              ...(request.approvers ? { approvers: request.approvers } : {}),
              ...(request.requiredApprovals ? { requiredApprovals: request.requiredApprovals } : {}),
              ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
              timeoutSeconds: request.timeoutSeconds ?? 86_400,
              ...(request.fields ? { context: { fields: request.fields } } : {}),
            }),
            Resources: [execution.executionArn, execution.stateMachineArn],
          },
        ],
      }),
    );
  } finally {
    client.destroy();
  }
  const id = approvalIdFor('stepfunctions', taskToken);
  if (!(await stack.store.get(id))) throw new Error(`no approval was captured for ${request.title}`);
  return id;
}
