/**
 * First start of the local stack: one waiting workflow per source, made in the stand-ins with the ids of the sample
 * events in events/, then announced the way AWS announces it — the state machine's events:putEvents call and the
 * durable function's waitForCallback submitter through the EventBridge API, and the Image Builder / SSM / CodePipeline
 * events on the default bus. Injecting a sample event again later
 * (`npm run event -- events/…`) therefore hits the same approval: a visible duplicate, not a second item.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { LOCAL_EVENT_BUS_NAME, type LocalStack } from './localStack';
import type { AwsStandins } from './standins';

const eventsFolder = fileURLToPath(new URL('../../events/', import.meta.url));
// biome-ignore lint/suspicious/noExplicitAny: sample events are plain JSON documents
const sample = (name: string): any => JSON.parse(readFileSync(`${eventsFolder}${name}.json`, 'utf8'));

/** An event put on Greenlight's request bus through the EventBridge API, as a workflow's own PutEvents call does. */
async function putOnRequestBus(
  event: { source: string; 'detail-type': string; detail: unknown },
  resources: string[],
): Promise<void> {
  const eventBridge = new EventBridgeClient({});
  try {
    await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: LOCAL_EVENT_BUS_NAME,
            Source: event.source,
            DetailType: event['detail-type'],
            Detail: JSON.stringify(event.detail),
            ...(resources.length > 0 ? { Resources: resources } : {}),
          },
        ],
      }),
    );
  } finally {
    eventBridge.destroy();
  }
}

async function seedStepFunctions(stack: LocalStack): Promise<void> {
  const event = sample('stepfunctions/approval-requested');
  const executionArn: string = event.resources.find((arn: string) => arn.includes(':execution:'));
  const [, , , , , , stateMachineName, executionName] = executionArn.split(':');
  const execution = stack.standins.stepFunctions.startWaitingExecution({
    stateMachineName: stateMachineName as string,
    executionName: executionName as string,
    taskToken: event.detail.taskToken,
    input: { version: '2.4.1' },
  });
  // What `arn:aws:states:::events:putEvents.waitForTaskToken` sends, Resources included.
  await putOnRequestBus(event, [execution.executionArn, execution.stateMachineArn]);
}

async function seedImageBuilder(stack: LocalStack): Promise<void> {
  const event = sample('imagebuilder/workflow-step-waiting');
  const imageArn: string = event.resources.find((arn: string) => arn.includes(':image/'));
  const [name, version, build] = imageArn.split(':image/')[1]?.split('/') ?? [];
  stack.standins.imageBuilder.addWaitingStep({
    imageName: name as string,
    version: version as string,
    build: Number(build),
    stepName: event.detail['workflow-step-name'],
    stepExecutionId: event.detail['workflow-step-execution-id'],
    workflowExecutionId: event.detail['workflow-execution-id'],
  });
  await stack.publish(event, 'default');
}

/** Makes the SSM stand-in hold the waiting automation that the SSM sample events talk about. */
export function registerSampleAutomation(standins: AwsStandins): void {
  const response = sample('ssm/get-automation-execution-waiting.response').AutomationExecution;
  const approveStep = response.StepExecutions.find((step: { Action: string }) => step.Action === 'aws:approve');
  standins.ssm.startWaitingAutomation({
    automationExecutionId: response.AutomationExecutionId,
    documentName: response.DocumentName,
    stepName: approveStep.StepName,
    stepExecutionId: approveStep.StepExecutionId,
    approvers: JSON.parse(approveStep.Inputs.Approvers),
    message: JSON.parse(approveStep.Inputs.Message),
    minRequiredApprovals: Number(approveStep.Inputs.MinRequiredApprovals),
  });
}

async function seedSsmAutomation(stack: LocalStack): Promise<void> {
  registerSampleAutomation(stack.standins);
  // SSM announces the wait twice (step and execution status change): both land on the same approval.
  await stack.publish(sample('ssm/automation-step-waiting'), 'default');
  await stack.publish(sample('ssm/automation-execution-waiting'), 'default');
}

/** A durable execution waiting in waitForCallback, announced by its submitter's PutEvents (which adds no Resources). */
async function seedDurableFunction(stack: LocalStack): Promise<void> {
  const event = sample('lambda/approval-requested');
  const [functionArn = '', executionPath = ''] = String(event.detail.durableExecutionArn).split('/durable-execution/');
  const [executionName, executionId] = executionPath.split('/');
  const [, , , , , , functionName, version] = functionArn.split(':');
  stack.standins.lambda.startWaitingExecution({
    functionName: functionName as string,
    version: version as string,
    executionName: executionName as string,
    executionId: executionId as string,
    callbackId: event.detail.callbackId,
    input: { service: 'checkout', version: '2.4.1', environment: 'production' },
  });
  // The submitter's PutEvents adds no Resources.
  await putOnRequestBus(event, []);
}

/** Makes the CodePipeline stand-in hold the waiting approval the CodePipeline sample events and responses talk about. */
export function registerSamplePipeline(standins: AwsStandins): void {
  const state = sample('codepipeline/get-pipeline-state.response');
  const { pipeline } = sample('codepipeline/get-pipeline.response');
  const stage = state.stageStates.find(
    (candidate: { latestExecution?: { status: string } }) => candidate.latestExecution?.status === 'InProgress',
  );
  const [actionState] = stage.actionStates;
  const action = pipeline.stages
    .find((candidate: { name: string }) => candidate.name === stage.stageName)
    .actions.find((candidate: { name: string }) => candidate.name === actionState.actionName);
  standins.codePipeline.startWaitingApproval({
    pipelineName: pipeline.name,
    version: pipeline.version,
    executionMode: pipeline.executionMode,
    stageName: stage.stageName,
    actionName: action.name,
    customData: action.configuration.CustomData,
    externalEntityLink: action.configuration.ExternalEntityLink,
    notificationArn: action.configuration.NotificationArn,
    timeoutInMinutes: action.timeoutInMinutes,
    pipelineExecutionId: stage.latestExecution.pipelineExecutionId,
    actionExecutionId: actionState.latestExecution.actionExecutionId,
    token: actionState.latestExecution.token,
  });
}

async function seedCodePipeline(stack: LocalStack): Promise<void> {
  registerSamplePipeline(stack.standins);
  await stack.publish(sample('codepipeline/action-execution-started'), 'default');
}

export async function seedWaitingWorkflows(stack: LocalStack): Promise<void> {
  await seedStepFunctions(stack);
  await seedImageBuilder(stack);
  await seedSsmAutomation(stack);
  await seedDurableFunction(stack);
  await seedCodePipeline(stack);
}
