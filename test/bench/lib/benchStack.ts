/**
 * The local stack as the benchmark drives it: `startLocalStack()` in memory (dynalite, stand-ins, the functions behind
 * the local API Gateway adapter), optionally with the counting proxy between the functions and dynalite, and a gate
 * on the notify function's asynchronous invocations.
 *
 * Why the gate: the EventBridge stand-in awaits delivery before it answers PutEvents (so tests see effects
 * deterministically), which makes notify (Slack, e-mail, delivery bookkeeping) run *inside* the decision request.
 * On AWS, PutEvents returns before delivery and notify runs in its own Lambda. `deferred` queues notify's events
 * (run later with `drain()`), `drop` forgets them, `inline` is the stack's own behaviour.
 */
import { type LocalStack, startLocalStack } from '../../../infra/local/localStack';
import { DecisionHarness } from '../../support/decisionHarness';
import { DynamoCountingProxy } from './dynamoCountingProxy';

export type NotifyMode = 'inline' | 'deferred' | 'drop';

export interface NotifyGate {
  mode: NotifyMode;
  /** Events held back in `deferred` mode. */
  readonly pending: unknown[];
  /** Runs the held-back notify invocations now (as Lambda would, with its retries), oldest first. */
  drain(): Promise<number>;
}

export interface BenchStack {
  stack: LocalStack;
  harness: DecisionHarness;
  notify: NotifyGate;
  proxy?: DynamoCountingProxy;
  close(): Promise<void>;
}

export async function startBenchStack(
  options: { countDynamo?: boolean; notify?: NotifyMode } = {},
): Promise<BenchStack> {
  process.env.LOG_LEVEL ??= 'INFO';
  const stack = await startLocalStack();
  let proxy: DynamoCountingProxy | undefined;
  if (options.countDynamo) {
    // Before any function module is imported: each builds its DynamoDB client from the environment at cold start.
    proxy = new DynamoCountingProxy(stack.dynamoEndpoint);
    process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
  }

  const functions = stack.functions;
  const invokeAsync = functions.invokeAsync.bind(functions);
  const pending: unknown[] = [];
  const notify: NotifyGate = {
    mode: options.notify ?? 'inline',
    pending,
    async drain() {
      let count = 0;
      while (pending.length > 0) {
        await invokeAsync('notify', pending.shift());
        count++;
      }
      return count;
    },
  };
  functions.invokeAsync = async (functionName, event) => {
    if (functionName !== 'notify' || notify.mode === 'inline') return invokeAsync(functionName, event);
    if (notify.mode === 'deferred') pending.push(event);
    return { functionName, ok: true, attempts: 0 };
  };

  const harness = new DecisionHarness(stack);
  return {
    stack,
    harness,
    notify,
    ...(proxy ? { proxy } : {}),
    close: async () => {
      harness.close();
      await stack.close();
      await proxy?.close();
    },
  };
}
