/**
 * Local, wire-level stand-ins for the AWS APIs Greenlight calls (Step Functions, Image Builder, SSM,
 * EventBridge, SES v2, Lambda durable executions, CodePipeline). Real AWS SDK v3 clients work against them unchanged:
 * point `AWS_ENDPOINT_URL_SFN`, `AWS_ENDPOINT_URL_IMAGEBUILDER`, `AWS_ENDPOINT_URL_SSM`, `AWS_ENDPOINT_URL_EVENTBRIDGE`,
 * `AWS_ENDPOINT_URL_SESV2`, `AWS_ENDPOINT_URL_LAMBDA`, `AWS_ENDPOINT_URL_CODEPIPELINE` (or a client's `endpoint`) at
 * `url`. Each stand-in's header names the AWS documentation its behaviour follows.
 */
import type { AddressInfo } from 'node:net';
import { CallLog, type RecordedCall, type ServiceName } from './callLog';
import { CodePipelineStandin, emptyCodePipelineState } from './codepipeline/codePipelineStandin';
import { EventBridgeStandin, type PutEventsListener } from './eventbridge/eventBridgeStandin';
import { type Fault, FaultInjector } from './faultInjector';
import { emptyImageBuilderState, ImageBuilderStandin } from './imagebuilder/imageBuilderStandin';
import { emptyLambdaState, LambdaStandin } from './lambda/lambdaStandin';
import { emptySesState, type SentEmail, SesStandin } from './ses/sesStandin';
import { emptySsmState, SsmStandin } from './ssm/ssmStandin';
import { createStandinServer } from './standinServer';
import type { StandinService, StatefulStandin } from './standinService';
import { loadStateFile, saveStateFile } from './stateFile';
import { emptyStepFunctionsState, StepFunctionsStandin } from './stepfunctions/stepFunctionsStandin';

export type { RecordedCall, ServiceName } from './callLog';
export type { PipelineRecord, WaitingApproval } from './codepipeline/codePipelineStandin';
export type { DeliveredEntry, PutEventsListener } from './eventbridge/eventBridgeStandin';
export type { Fault } from './faultInjector';
export type { WaitingStep, WorkflowStepRecord } from './imagebuilder/imageBuilderStandin';
export type { DurableExecutionRecord, WaitingDurableExecution } from './lambda/lambdaStandin';
export type { SentEmail } from './ses/sesStandin';
export type { AutomationRecord, ParameterRecord, WaitingAutomation } from './ssm/ssmStandin';
export type { ExecutionRecord, WaitingExecution } from './stepfunctions/stepFunctionsStandin';

export interface AwsStandinsOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** JSON file that keeps waiting items, answered tokens and idempotency records across restarts. */
  statePath?: string;
  /** Clock for timestamps and timeouts (tests can move time). */
  now?: () => Date;
}

export interface AwsStandins {
  /** `http://127.0.0.1:PORT` — the endpoint for every service. */
  url: string;
  stepFunctions: Pick<StepFunctionsStandin, 'startWaitingExecution' | 'describe'>;
  imageBuilder: Pick<ImageBuilderStandin, 'addWaitingStep' | 'get'>;
  ssm: Pick<SsmStandin, 'startWaitingAutomation' | 'get' | 'putParameter' | 'parameterValue'>;
  lambda: Pick<LambdaStandin, 'startWaitingExecution' | 'describe' | 'endExecution'>;
  codePipeline: Pick<CodePipelineStandin, 'startWaitingApproval' | 'get'>;
  /** SES v2: every message SendEmail accepted, oldest first. */
  ses: { sentEmails(): SentEmail[] };
  /** Every wire call in arrival order (not persisted). */
  calls: RecordedCall[];
  callsTo(service: ServiceName, operation: string): RecordedCall[];
  /** Makes the next matching call(s) fail, hang up or wait; `operation` may be `*`. */
  failNext(service: ServiceName, operation: string, fault: Fault): void;
  /** Receives the accepted entries of every PutEvents call. */
  onPutEvents(listener: PutEventsListener): void;
  /** Lets every stand-in hold the wait an injected event announces (StandinService.adoptAnnouncedWait). */
  adoptAnnouncedWait(event: unknown): void;
  /** Forgets all state, calls and pending faults (listeners stay). */
  reset(): void;
  close(): Promise<void>;
}

/** The state file: each stateful stand-in's state under its service name. */
type PersistedState = Partial<Record<ServiceName, unknown>>;

export async function startAwsStandins(options: AwsStandinsOptions = {}): Promise<AwsStandins> {
  const now = options.now ?? (() => new Date());
  const { statePath } = options;
  const loaded = statePath ? loadStateFile<PersistedState>(statePath) : undefined;
  const save = () => {
    if (statePath) saveStateFile(statePath, snapshot());
  };
  /** A stand-in's saved state (when the file has one) or its empty state. */
  const initial = <State>(service: ServiceName, empty: () => State): State =>
    (loaded?.[service] as State | undefined) ?? empty();

  // Adding a service: its folder, and its line here (and in `services` below).
  const stepFunctions = new StepFunctionsStandin(initial('sfn', emptyStepFunctionsState), now, save);
  const imageBuilder = new ImageBuilderStandin(initial('imagebuilder', emptyImageBuilderState), now, save);
  const ssm = new SsmStandin(initial('ssm', emptySsmState), now, save);
  const ses = new SesStandin(initial('sesv2', emptySesState), now, save);
  const lambda = new LambdaStandin(initial('lambda', emptyLambdaState), now, save);
  const codePipeline = new CodePipelineStandin(initial('codepipeline', emptyCodePipelineState), now, save);
  const eventBridge = new EventBridgeStandin();
  const services = {
    sfn: stepFunctions,
    imagebuilder: imageBuilder,
    ssm,
    eventbridge: eventBridge,
    sesv2: ses,
    lambda,
    codepipeline: codePipeline,
  };
  const stateful: [ServiceName, StatefulStandin<unknown>, () => unknown][] = [
    ['sfn', stepFunctions, emptyStepFunctionsState],
    ['imagebuilder', imageBuilder, emptyImageBuilderState],
    ['ssm', ssm, emptySsmState],
    ['sesv2', ses, emptySesState],
    ['lambda', lambda, emptyLambdaState],
    ['codepipeline', codePipeline, emptyCodePipelineState],
  ];
  const snapshot = (): PersistedState =>
    Object.fromEntries(stateful.map(([service, standin]) => [service, standin.snapshot]));
  const callLog = new CallLog();
  const faults = new FaultInjector();

  const server = createStandinServer({
    services,
    calls: callLog,
    faults,
    now,
    inspectState: snapshot,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stepFunctions,
    imageBuilder,
    ssm,
    lambda,
    codePipeline,
    ses: { sentEmails: () => ses.sentEmails() },
    calls: callLog.calls,
    callsTo: (service, operation) => callLog.callsTo(service, operation),
    failNext: (service, operation, fault) => faults.add(service, operation, fault),
    onPutEvents: (listener) => eventBridge.onPutEvents(listener),
    adoptAnnouncedWait(event) {
      for (const service of Object.values<StandinService>(services)) service.adoptAnnouncedWait?.(event);
    },
    reset() {
      for (const [, standin, empty] of stateful) standin.replaceState(empty());
      callLog.clear();
      faults.clear();
      save();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
