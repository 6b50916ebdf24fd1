/** Helpers for tests that run the in-process local stack (in-memory dynalite, stand-ins, serverless.yml routing). */
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_TABLE_NAME, type LocalStack } from '../../infra/local/localStack';
import { createDocumentClient } from '../../shared/runtime/createDocumentClient';
import { sampleEvent } from './fixtures';

/** Every item in the local table (tests only: the service itself never scans). */
export async function allItems(): Promise<Array<Record<string, unknown>>> {
  const client = createDocumentClient();
  try {
    const { Items } = await client.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME, ConsistentRead: true }));
    return Items ?? [];
  } finally {
    client.destroy();
  }
}

export async function clearTable(): Promise<void> {
  const client = createDocumentClient();
  try {
    for (const item of await allItems()) {
      await client.send(new DeleteCommand({ TableName: LOCAL_TABLE_NAME, Key: { pk: item.pk, sk: item.sk } }));
    }
  } finally {
    client.destroy();
  }
}

/** Makes the SSM stand-in hold the waiting automation the SSM sample events talk about. */
export function registerSampleAutomation(stack: LocalStack): void {
  const response = sampleEvent('ssm/get-automation-execution-waiting.response').AutomationExecution;
  const step = response.StepExecutions.find((candidate: { Action: string }) => candidate.Action === 'aws:approve');
  stack.standins.ssm.startWaitingAutomation({
    automationExecutionId: response.AutomationExecutionId,
    documentName: response.DocumentName,
    stepName: step.StepName,
    stepExecutionId: step.StepExecutionId,
    approvers: JSON.parse(step.Inputs.Approvers),
    message: JSON.parse(step.Inputs.Message),
    minRequiredApprovals: Number(step.Inputs.MinRequiredApprovals),
  });
}
