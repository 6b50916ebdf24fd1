/**
 * Lambda durable functions stand-in (restJson1 under `/2025-12-01/`, errors in the `x-amzn-errortype` header): durable
 * executions parked in `context.waitForCallback`, answered with the callback calls. The function itself does not run
 * here (the durable execution SDK's test runner has no HTTP endpoint; docs/sources/lambda.md): an execution that got
 * its answer ends at once, as a function that returns right after its callback would.
 *
 * Documented behaviour implemented (AWS Lambda API Reference, 2015-03-31 model, durable execution operations):
 * - SendDurableExecutionCallbackSuccess (POST /2025-12-01/durable-execution-callbacks/{CallbackId}/succeed,
 *   API_SendDurableExecutionCallbackSuccess.html): the body is the raw `Result` (blob payload, "Maximum length of
 *   262144"); CallbackId "Minimum length of 1. Maximum length of 1024. Pattern: [A-Za-z0-9+/]+={0,2}" else
 *   InvalidParameterValueException; CallbackTimeoutException: "The callback ID token has either expired or the
 *   callback associated with the token has already been closed" (so: answered twice, timed out, execution ended).
 *   The execution then SUCCEEDS with that Result.
 * - SendDurableExecutionCallbackFailure (…/{CallbackId}/fail, API_SendDurableExecutionCallbackFailure.html): the body
 *   is the ErrorObject (ErrorType, ErrorMessage, ErrorData, StackTrace, all optional); same callback errors. The
 *   execution then FAILS with that error (as if the function did not catch it).
 * - SendDurableExecutionCallbackHeartbeat (…/{CallbackId}/heartbeat): same callback errors, no state change.
 * - GetDurableExecution (GET /2025-12-01/durable-executions/{DurableExecutionArn}, API_GetDurableExecution.html):
 *   Status RUNNING | SUCCEEDED | FAILED | TIMED_OUT | STOPPED, timestamps in epoch seconds, Error and EndTimestamp
 *   only once ended; a malformed ARN → InvalidParameterValueException, an unknown one → ResourceNotFoundException.
 * Assumptions (not documented): a well-formed but unknown CallbackId → ResourceNotFoundException (404, listed among
 * the operations' errors); the Failure's fields together at most 256 KB (GetDurableExecution's limit on the error it
 * reports). A callback past its timeout closes and fails the execution with CallbackTimeoutError.
 */
import { randomBytes } from 'node:crypto';
import { AwsError, clientError } from '../awsError';
import { ACCOUNT_ID, newUuid, REGION } from '../awsIds';
import { epochSeconds, type Input, stringField } from '../inputFields';
import { type StandinService, StatefulStandin } from '../standinService';

export type DurableExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'STOPPED';

export interface DurableErrorObject {
  ErrorType?: string;
  ErrorMessage?: string;
  ErrorData?: string;
  StackTrace?: string[];
}

export interface DurableExecutionRecord {
  durableExecutionArn: string;
  durableExecutionName: string;
  functionArn: string;
  version: string;
  status: DurableExecutionStatus;
  startTimestamp: string;
  endTimestamp?: string;
  inputPayload: string;
  result?: string;
  error?: DurableErrorObject;
  /** The one callback the execution waits on; open while the execution is RUNNING. */
  callbackId: string;
  /** When the callback times out, if waitForCallback gave it a timeout. */
  callbackDeadline?: string;
  heartbeats: number;
}

export interface LambdaState {
  /** Durable executions by ARN. */
  executions: Record<string, DurableExecutionRecord>;
  /** Callback id → execution ARN. */
  callbacks: Record<string, string>;
}

export interface WaitingDurableExecution {
  durableExecutionArn: string;
  functionArn: string;
  callbackId: string;
}

/** restJson1 routes: HTTP method and path of each implemented operation (client-lambda's model). */
export const LAMBDA_ROUTES = [
  {
    method: 'POST',
    path: '/2025-12-01/durable-execution-callbacks/{CallbackId}/succeed',
    operation: 'SendDurableExecutionCallbackSuccess',
    payload: 'Result',
  },
  {
    method: 'POST',
    path: '/2025-12-01/durable-execution-callbacks/{CallbackId}/fail',
    operation: 'SendDurableExecutionCallbackFailure',
  },
  {
    method: 'POST',
    path: '/2025-12-01/durable-execution-callbacks/{CallbackId}/heartbeat',
    operation: 'SendDurableExecutionCallbackHeartbeat',
  },
  { method: 'GET', path: '/2025-12-01/durable-executions/{DurableExecutionArn}', operation: 'GetDurableExecution' },
] as const;

const INVALID = 'InvalidParameterValueException';
const CALLBACK_ID = /^[A-Za-z0-9+/]+={0,2}$/;
const DURABLE_EXECUTION_ARN =
  /^arn:([a-zA-Z0-9-]+):lambda:([a-zA-Z0-9-]+):(\d{12}):function:([a-zA-Z0-9_-]+):(\$LATEST(?:\.PUBLISHED)?|[0-9]+)\/durable-execution\/([a-zA-Z0-9_-]+)\/([a-zA-Z0-9_-]+)$/;
const MAX_RESULT_BYTES = 262_144;
const MAX_ERROR_BYTES = 262_144;
const CLOSED_MESSAGE =
  'The callback ID token has either expired or the callback associated with the token has already been closed.';

export function emptyLambdaState(): LambdaState {
  return { executions: {}, callbacks: {} };
}

/** An opaque callback id in the documented alphabet (+, / and = included, so URL-encoding bugs show up locally). */
function newCallbackId(): string {
  return randomBytes(192).toString('base64');
}

export class LambdaStandin extends StatefulStandin<LambdaState> implements StandinService {
  readonly service = 'lambda';
  readonly wire = { protocol: 'restJson1', routes: LAMBDA_ROUTES } as const;
  readonly operations = LAMBDA_ROUTES.map((route) => route.operation);

  /** Seeds a durable execution that waits in waitForCallback, as if its submitter had just been given the id. */
  startWaitingExecution(options: {
    functionName: string;
    version?: string;
    executionName?: string;
    /** Fixed ids, e.g. those of a sample event; new ones otherwise. */
    executionId?: string;
    callbackId?: string;
    input?: unknown;
    timeoutSeconds?: number;
  }): WaitingDurableExecution {
    const version = options.version ?? '1';
    const functionArn = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${options.functionName}:${version}`;
    const name = options.executionName ?? newUuid();
    const durableExecutionArn = `${functionArn}/durable-execution/${name}/${options.executionId ?? newUuid()}`;
    const callbackId = options.callbackId ?? newCallbackId();
    const started = this.now();
    this.state.executions[durableExecutionArn] = {
      durableExecutionArn,
      durableExecutionName: name,
      functionArn,
      version,
      status: 'RUNNING',
      startTimestamp: started.toISOString(),
      inputPayload: JSON.stringify(options.input ?? {}),
      callbackId,
      callbackDeadline:
        options.timeoutSeconds === undefined
          ? undefined
          : new Date(started.getTime() + options.timeoutSeconds * 1000).toISOString(),
      heartbeats: 0,
    };
    this.state.callbacks[callbackId] = durableExecutionArn;
    this.changed();
    return { durableExecutionArn, functionArn, callbackId };
  }

  /**
   * A durable function's request (an `Approval Requested` event with `callbackId` and `durableExecutionArn`) handed to
   * the running stack: the execution it names waits on that callback, as the real one does when its submitter runs.
   * Known callbacks and executions, and ARNs of another account or region, are left alone.
   */
  adoptAnnouncedWait(event: unknown): void {
    const envelope = event as { 'detail-type'?: unknown; detail?: Record<string, unknown> } | null;
    if (envelope?.['detail-type'] !== 'Approval Requested') return;
    const { callbackId, durableExecutionArn } = envelope.detail ?? {};
    if (typeof callbackId !== 'string' || typeof durableExecutionArn !== 'string') return;
    if (this.state.callbacks[callbackId] !== undefined || this.state.executions[durableExecutionArn] !== undefined)
      return;
    const match =
      /^arn:aws:lambda:([^:]+):(\d{12}):function:([^:/]+):([^/]+)\/durable-execution\/([^/]+)\/([^/]+)$/.exec(
        durableExecutionArn,
      );
    if (match === null || match[1] !== REGION || match[2] !== ACCOUNT_ID) return;
    const [, , , functionName = '', version, executionName, executionId] = match;
    this.startWaitingExecution({ functionName, version, executionName, executionId, callbackId });
  }

  /** The execution as the stand-in holds it (undefined when unknown). */
  describe(durableExecutionArn: string): DurableExecutionRecord | undefined {
    const execution = this.state.executions[durableExecutionArn];
    if (execution) this.expireIfDue(execution);
    return execution ? { ...execution } : undefined;
  }

  /** Ends a running execution elsewhere (StopDurableExecution, its own timeout, …): its callback closes. */
  endExecution(durableExecutionArn: string, status: Exclude<DurableExecutionStatus, 'RUNNING'>): void {
    const execution = this.state.executions[durableExecutionArn];
    if (execution?.status === 'RUNNING') this.finish(execution, { status });
  }

  handle(operation: string, input: Input): unknown {
    switch (operation) {
      case 'SendDurableExecutionCallbackSuccess':
        return this.succeed(input);
      case 'SendDurableExecutionCallbackFailure':
        return this.fail(input);
      case 'SendDurableExecutionCallbackHeartbeat':
        this.waitingExecutionFor(input).heartbeats += 1;
        this.changed();
        return {};
      case 'GetDurableExecution':
        return this.getDurableExecution(input);
      default:
        throw clientError('UnknownOperationException', `Unknown operation ${operation}`);
    }
  }

  private succeed(input: Input): unknown {
    const execution = this.waitingExecutionFor(input, () => {
      const result = stringField(input, 'Result', { errorName: INVALID });
      if (result !== undefined && Buffer.byteLength(result, 'utf8') > MAX_RESULT_BYTES) {
        throw clientError(INVALID, `Result must be at most ${MAX_RESULT_BYTES} bytes`);
      }
    });
    this.finish(execution, { status: 'SUCCEEDED', result: input.Result as string | undefined });
    return {};
  }

  private fail(input: Input): unknown {
    const execution = this.waitingExecutionFor(input, () => this.errorObject(input));
    this.finish(execution, { status: 'FAILED', error: this.errorObject(input) });
    return {};
  }

  private getDurableExecution(input: Input): unknown {
    const arn = stringField(input, 'DurableExecutionArn', { required: true, min: 1, max: 1024, errorName: INVALID });
    if (!DURABLE_EXECUTION_ARN.test(arn)) throw clientError(INVALID, 'Invalid DurableExecutionArn');
    const execution = this.state.executions[arn];
    if (!execution) throw new AwsError('ResourceNotFoundException', 'Durable execution not found', 404);
    this.expireIfDue(execution);
    return {
      DurableExecutionArn: execution.durableExecutionArn,
      DurableExecutionName: execution.durableExecutionName,
      FunctionArn: execution.functionArn,
      Version: execution.version,
      Status: execution.status,
      StartTimestamp: epochSeconds(execution.startTimestamp),
      EndTimestamp: epochSeconds(execution.endTimestamp),
      InputPayload: execution.inputPayload,
      Result: execution.result,
      Error: execution.error,
    };
  }

  /**
   * Resolves the callback id to its still-waiting execution. Order: malformed id (InvalidParameterValueException),
   * unknown id (ResourceNotFoundException), the operation's own input checks, closed callback (CallbackTimeout).
   */
  private waitingExecutionFor(input: Input, validate?: () => void): DurableExecutionRecord {
    const callbackId = stringField(input, 'CallbackId', { required: true, min: 1, max: 1024, errorName: INVALID });
    if (!CALLBACK_ID.test(callbackId)) throw clientError(INVALID, 'Invalid CallbackId');
    const arn = this.state.callbacks[callbackId];
    const execution = arn === undefined ? undefined : this.state.executions[arn];
    if (!execution) throw new AwsError('ResourceNotFoundException', 'Callback not found', 404);
    validate?.();
    this.expireIfDue(execution);
    if (execution.status !== 'RUNNING') throw clientError('CallbackTimeoutException', CLOSED_MESSAGE);
    return execution;
  }

  private errorObject(input: Input): DurableErrorObject {
    const error: DurableErrorObject = {};
    for (const name of ['ErrorType', 'ErrorMessage', 'ErrorData'] as const) {
      const value = stringField(input, name, { errorName: INVALID });
      if (value !== undefined) error[name] = value;
    }
    if (input.StackTrace !== undefined) {
      if (!Array.isArray(input.StackTrace) || input.StackTrace.some((line) => typeof line !== 'string')) {
        throw clientError(INVALID, 'StackTrace must be a list of strings');
      }
      error.StackTrace = input.StackTrace as string[];
    }
    if (Buffer.byteLength(JSON.stringify(error), 'utf8') > MAX_ERROR_BYTES) {
      throw clientError(INVALID, `The error fields must be at most ${MAX_ERROR_BYTES} bytes together`);
    }
    return error;
  }

  /** A callback past its timeout closes with CallbackTimeoutError, which (uncaught) fails the execution. */
  private expireIfDue(execution: DurableExecutionRecord): void {
    if (execution.status !== 'RUNNING' || execution.callbackDeadline === undefined) return;
    if (this.now().getTime() < Date.parse(execution.callbackDeadline)) return;
    this.finish(execution, {
      status: 'FAILED',
      error: { ErrorType: 'CallbackTimeoutError', ErrorMessage: 'Callback timed out' },
      endTimestamp: execution.callbackDeadline,
    });
  }

  private finish(
    execution: DurableExecutionRecord,
    end: Pick<DurableExecutionRecord, 'status'> &
      Partial<Pick<DurableExecutionRecord, 'result' | 'error' | 'endTimestamp'>>,
  ): void {
    if (execution.status !== 'RUNNING') throw clientError('CallbackTimeoutException', CLOSED_MESSAGE);
    Object.assign(execution, { endTimestamp: this.now().toISOString() }, end);
    this.changed();
  }
}
