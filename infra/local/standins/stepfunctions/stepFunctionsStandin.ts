/**
 * Step Functions stand-in (awsJson1_0, `X-Amz-Target: AWSStepFunctions.<Operation>`): executions parked
 * in a `.waitForTaskToken` task, answered with the task-token calls.
 *
 * Documented behaviour implemented (AWS Step Functions API Reference, states-2016-11-23; boto3 SFN client
 * reference in shared/reference/sfn-client.boto3.txt):
 * - SendTaskSuccess (docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html):
 *   `output` is required JSON, max 262144 bytes of UTF-8 → InvalidOutput ("The provided JSON output data
 *   is not valid"); unknown token → InvalidToken; TaskTimedOut = "the task token has either expired or the
 *   task associated with the token has already been closed" (so: answered twice, stopped, timed out).
 * - SendTaskFailure (API_SendTaskFailure.html): error ≤ 256, cause ≤ 32768 characters, else
 *   ValidationException; the task fails, and with no Catch the execution is FAILED with that error/cause.
 * - SendTaskHeartbeat (API_SendTaskHeartbeat.html): same token errors, no state change.
 * - DescribeExecution / StopExecution (API_DescribeExecution.html, API_StopExecution.html): malformed ARN →
 *   InvalidArn, unknown → ExecutionDoesNotExist; StopExecution returns `stopDate` and the execution is ABORTED.
 * - TaskDoesNotExist is documented as "the activity does not exist": activities are not modelled, so the
 *   stand-in never answers it.
 */
import { AwsError, clientError } from '../awsError';
import { ACCOUNT_ID, newTaskToken, newUuid, REGION } from '../awsIds';
import { epochSeconds, type Input, stringField } from '../inputFields';
import { type StandinService, StatefulStandin } from '../standinService';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  taskToken: string;
  /** When the waiting task times out (States.Timeout), if it has a timeout. */
  taskDeadline?: string;
  heartbeats: number;
}

export interface StepFunctionsState {
  /** Executions by ARN. */
  executions: Record<string, ExecutionRecord>;
  /** Task token → execution ARN; a token is open while its execution is RUNNING. */
  tokens: Record<string, string>;
}

export interface WaitingExecution {
  executionArn: string;
  stateMachineArn: string;
  taskToken: string;
}

const MAX_OUTPUT_BYTES = 262_144;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/;
const TIMED_OUT_MESSAGE = "Task Timed Out: 'Provided task does not exist anymore'";

export function emptyStepFunctionsState(): StepFunctionsState {
  return { executions: {}, tokens: {} };
}

export class StepFunctionsStandin extends StatefulStandin<StepFunctionsState> implements StandinService {
  readonly service = 'sfn';
  readonly wire = { protocol: 'awsJson1_0', targetPrefix: 'AWSStepFunctions' } as const;
  readonly operations = [
    'SendTaskSuccess',
    'SendTaskFailure',
    'SendTaskHeartbeat',
    'DescribeExecution',
    'StopExecution',
  ] as const;

  /** Seeds an execution that waits in a `.waitForTaskToken` task, as if StartExecution had reached it. */
  startWaitingExecution(options: {
    stateMachineName: string;
    input?: unknown;
    executionName?: string;
    timeoutSeconds?: number;
    /** A fixed token, e.g. that of a sample event; a new one otherwise. */
    taskToken?: string;
  }): WaitingExecution {
    const name = options.executionName ?? newUuid();
    const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT_ID}:stateMachine:${options.stateMachineName}`;
    const executionArn = `arn:aws:states:${REGION}:${ACCOUNT_ID}:execution:${options.stateMachineName}:${name}`;
    const taskToken = options.taskToken ?? newTaskToken();
    const startDate = this.now();
    this.state.executions[executionArn] = {
      executionArn,
      stateMachineArn,
      name,
      status: 'RUNNING',
      startDate: startDate.toISOString(),
      input: JSON.stringify(options.input ?? {}),
      taskToken,
      taskDeadline:
        options.timeoutSeconds === undefined
          ? undefined
          : new Date(startDate.getTime() + options.timeoutSeconds * 1000).toISOString(),
      heartbeats: 0,
    };
    this.state.tokens[taskToken] = executionArn;
    this.changed();
    return { executionArn, stateMachineArn, taskToken };
  }

  /**
   * A Step Functions request (an `Approval Requested` event whose `resources` carry the execution and state machine
   * ARNs, or a `lambda:invoke` payload with `executionArn`) for a token the stand-in does not know: the execution it
   * names waits on that token, as the real one would when it put the event. A known token or execution is left alone.
   */
  adoptAnnouncedWait(event: unknown): void {
    const announced = announcedTask(event);
    if (announced === undefined || this.state.tokens[announced.taskToken] !== undefined) return;
    if (this.state.executions[announced.executionArn] !== undefined) return;
    const [, , , , , , stateMachineName = '', executionName = ''] = announced.executionArn.split(':');
    this.startWaitingExecution({ stateMachineName, executionName, taskToken: announced.taskToken });
  }

  /** The execution as the stand-in holds it (undefined when unknown). */
  describe(executionArn: string): ExecutionRecord | undefined {
    const execution = this.state.executions[executionArn];
    if (execution) this.expireIfDue(execution);
    return execution ? { ...execution } : undefined;
  }

  handle(operation: string, input: Input): unknown {
    switch (operation) {
      case 'SendTaskSuccess':
        return this.sendTaskSuccess(input);
      case 'SendTaskFailure':
        return this.sendTaskFailure(input);
      case 'SendTaskHeartbeat':
        this.openExecutionFor(input).heartbeats += 1;
        this.changed();
        return {};
      case 'DescribeExecution':
        return this.describeExecution(input);
      case 'StopExecution':
        return this.stopExecution(input);
      default:
        throw clientError('UnknownOperationException', `Unknown operation ${operation}`);
    }
  }

  private sendTaskSuccess(input: Input): unknown {
    const execution = this.openExecutionFor(input, () => {
      const output = stringField(input, 'output', { required: true, errorName: 'ValidationException' });
      if (Buffer.byteLength(output, 'utf8') > MAX_OUTPUT_BYTES) {
        throw clientError('InvalidOutput', `Invalid Output: 'output' is larger than ${MAX_OUTPUT_BYTES} bytes`);
      }
      try {
        JSON.parse(output);
      } catch {
        throw clientError('InvalidOutput', "Invalid Output: 'output' is not valid JSON");
      }
    });
    this.finish(execution, { status: 'SUCCEEDED', output: input.output as string });
    return {};
  }

  private sendTaskFailure(input: Input): unknown {
    const execution = this.openExecutionFor(input, () => this.errorAndCause(input));
    const { error, cause } = this.errorAndCause(input);
    this.finish(execution, { status: 'FAILED', error, cause });
    return {};
  }

  private describeExecution(input: Input): unknown {
    const execution = this.existingExecution(input);
    return {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: epochSeconds(execution.startDate),
      stopDate: epochSeconds(execution.stopDate),
      input: execution.input,
      inputDetails: { included: true },
      output: execution.output,
      outputDetails: execution.output === undefined ? undefined : { included: true },
      error: execution.error,
      cause: execution.cause,
      redriveCount: 0,
    };
  }

  private stopExecution(input: Input): unknown {
    const execution = this.existingExecution(input);
    const { error, cause } = this.errorAndCause(input);
    if (execution.status === 'RUNNING') this.finish(execution, { status: 'ABORTED', error, cause });
    return { stopDate: epochSeconds(execution.stopDate) };
  }

  /**
   * Resolves the token to its still-waiting execution. Order: malformed/unknown token (InvalidToken),
   * then the operation's own input checks, then closed task (TaskTimedOut).
   */
  private openExecutionFor(input: Input, validate?: () => void): ExecutionRecord {
    const taskToken = stringField(input, 'taskToken', {
      required: true,
      min: 1,
      max: 2048,
      errorName: 'ValidationException',
    });
    const executionArn = this.state.tokens[taskToken];
    const execution = executionArn === undefined ? undefined : this.state.executions[executionArn];
    if (!execution) throw clientError('InvalidToken', "Invalid Token: 'Invalid token'");
    validate?.();
    this.expireIfDue(execution);
    if (execution.status !== 'RUNNING') throw clientError('TaskTimedOut', TIMED_OUT_MESSAGE);
    return execution;
  }

  private existingExecution(input: Input): ExecutionRecord {
    const executionArn = stringField(input, 'executionArn', {
      required: true,
      min: 1,
      max: 256,
      errorName: 'ValidationException',
    });
    if (!EXECUTION_ARN.test(executionArn)) throw clientError('InvalidArn', `Invalid Arn: '${executionArn}'`);
    const execution = this.state.executions[executionArn];
    if (!execution) throw clientError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    this.expireIfDue(execution);
    return execution;
  }

  private errorAndCause(input: Input): { error?: string; cause?: string } {
    return {
      error: stringField(input, 'error', { max: 256, errorName: 'ValidationException' }),
      cause: stringField(input, 'cause', { max: 32_768, errorName: 'ValidationException' }),
    };
  }

  /** A task past its timeout fails with States.Timeout, which (uncaught) fails the execution. */
  private expireIfDue(execution: ExecutionRecord): void {
    if (execution.status !== 'RUNNING' || execution.taskDeadline === undefined) return;
    if (this.now().getTime() < Date.parse(execution.taskDeadline)) return;
    this.finish(execution, { status: 'FAILED', error: 'States.Timeout', stopDate: execution.taskDeadline });
  }

  private finish(
    execution: ExecutionRecord,
    end: Pick<ExecutionRecord, 'status'> & Partial<Pick<ExecutionRecord, 'output' | 'error' | 'cause' | 'stopDate'>>,
  ): void {
    if (execution.status !== 'RUNNING') throw new AwsError('TaskTimedOut', TIMED_OUT_MESSAGE);
    Object.assign(execution, { stopDate: this.now().toISOString() }, end);
    this.changed();
  }
}

/** The task an injected request announces, when it names a standard execution of this stand-in's region and account. */
function announcedTask(event: unknown): { taskToken: string; executionArn: string } | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const record = event as Record<string, unknown>;
  const envelope = record['detail-type'] === 'Approval Requested';
  const request = (envelope ? record.detail : record) as Record<string, unknown> | undefined;
  const taskToken = request?.taskToken;
  const candidates = envelope ? (Array.isArray(record.resources) ? record.resources : []) : [record.executionArn];
  const executionArn = candidates.findLast(
    (arn): arn is string =>
      typeof arn === 'string' && EXECUTION_ARN.test(arn) && arn.includes(`:${REGION}:${ACCOUNT_ID}:`),
  );
  if (typeof taskToken !== 'string' || taskToken === '' || executionArn === undefined) return undefined;
  return { taskToken, executionArn };
}
