/**
 * Local, wire-level stand-ins for the AWS APIs Greenlight calls (Step Functions, Image Builder, SSM,
 * EventBridge, SES v2). Real AWS SDK v3 clients work against them unchanged: point `AWS_ENDPOINT_URL_SFN`,
 * `AWS_ENDPOINT_URL_IMAGEBUILDER`, `AWS_ENDPOINT_URL_SSM`, `AWS_ENDPOINT_URL_EVENTBRIDGE`, `AWS_ENDPOINT_URL_SESV2`
 * (or a client's `endpoint`) at `url`. Each stand-in's header names the AWS documentation its behaviour follows.
 */
import type { AddressInfo } from 'node:net';
import { CallLog, type RecordedCall, type ServiceName } from './callLog';
import { EventBridgeStandin, type PutEventsListener } from './eventBridgeStandin';
import { type Fault, FaultInjector } from './faultInjector';
import { emptyImageBuilderState, ImageBuilderStandin, type ImageBuilderState } from './imageBuilderStandin';
import { emptySesState, type SentEmail, SesStandin, type SesState } from './sesStandin';
import { emptySsmState, SsmStandin, type SsmState } from './ssmStandin';
import { createStandinServer } from './standinServer';
import { loadStateFile, saveStateFile } from './stateFile';
import { emptyStepFunctionsState, StepFunctionsStandin, type StepFunctionsState } from './stepFunctionsStandin';

export type { RecordedCall, ServiceName } from './callLog';
export type { DeliveredEntry, PutEventsListener } from './eventBridgeStandin';
export type { Fault } from './faultInjector';
export type { WaitingStep, WorkflowStepRecord } from './imageBuilderStandin';
export type { SentEmail } from './sesStandin';
export type { AutomationRecord, ParameterRecord, WaitingAutomation } from './ssmStandin';
export type { ExecutionRecord, WaitingExecution } from './stepFunctionsStandin';

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
  /** SES v2: every message SendEmail accepted, oldest first. */
  ses: { sentEmails(): SentEmail[] };
  /** Every wire call in arrival order (not persisted). */
  calls: RecordedCall[];
  callsTo(service: ServiceName, operation: string): RecordedCall[];
  /** Makes the next matching call(s) fail, hang up or wait; `operation` may be `*`. */
  failNext(service: ServiceName, operation: string, fault: Fault): void;
  /** Receives the accepted entries of every PutEvents call. */
  onPutEvents(listener: PutEventsListener): void;
  /** Forgets all state, calls and pending faults (listeners stay). */
  reset(): void;
  close(): Promise<void>;
}

interface PersistedState {
  sfn: StepFunctionsState;
  imagebuilder: ImageBuilderState;
  ssm: SsmState;
  ses: SesState;
}

export async function startAwsStandins(options: AwsStandinsOptions = {}): Promise<AwsStandins> {
  const now = options.now ?? (() => new Date());
  const { statePath } = options;
  const loaded = statePath ? loadStateFile<Partial<PersistedState>>(statePath) : undefined;
  const snapshot = (): PersistedState => ({
    sfn: stepFunctions.snapshot,
    imagebuilder: imageBuilder.snapshot,
    ssm: ssm.snapshot,
    ses: ses.snapshot,
  });
  const save = () => {
    if (statePath) saveStateFile(statePath, snapshot());
  };

  const stepFunctions = new StepFunctionsStandin(loaded?.sfn ?? emptyStepFunctionsState(), now, save);
  const imageBuilder = new ImageBuilderStandin(loaded?.imagebuilder ?? emptyImageBuilderState(), now, save);
  const ssm = new SsmStandin(loaded?.ssm ?? emptySsmState(), now, save);
  const ses = new SesStandin(loaded?.ses ?? emptySesState(), now, save);
  const eventBridge = new EventBridgeStandin();
  const callLog = new CallLog();
  const faults = new FaultInjector();

  const server = createStandinServer({
    services: { sfn: stepFunctions, imagebuilder: imageBuilder, ssm, eventbridge: eventBridge, sesv2: ses },
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
    ses: { sentEmails: () => ses.sentEmails() },
    calls: callLog.calls,
    callsTo: (service, operation) => callLog.callsTo(service, operation),
    failNext: (service, operation, fault) => faults.add(service, operation, fault),
    onPutEvents: (listener) => eventBridge.onPutEvents(listener),
    reset() {
      stepFunctions.replaceState(emptyStepFunctionsState());
      imageBuilder.replaceState(emptyImageBuilderState());
      ssm.replaceState(emptySsmState());
      ses.replaceState(emptySesState());
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
