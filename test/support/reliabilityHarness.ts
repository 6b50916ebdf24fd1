import { fromApiGatewayResult, toApiGatewayEvent } from '../../infra/local/apiGatewayEvent';
import { loadHttpApiRoutes, matchHttpApiRoute } from '../../infra/local/httpApiRoutes';
import type { LocalStack } from '../../infra/local/localStack';
import type { RecordedCall } from '../../infra/local/standins';
import type { DecideDependencies } from '../../shared/app/decideApproval';
import type { Clock, Log } from '../../shared/app/ports';
import type { SourceResumer } from '../../shared/app/sourcePorts';
import { type Approval, SOURCE_KINDS, type SourceKind } from '../../shared/domain/approval';
import { policyDocument } from '../../shared/runtime/policy';
import {
  createSourceClients,
  createSourceResumers,
  destroySourceClients,
  type SourceClients,
} from '../../shared/sources/sources';
import type { ApprovalStore } from '../../shared/store/approvalStore';
import type { HttpReply, WaitingWorkflow } from './decisionHarness';
import { reliabilityStats } from './reliabilityStats';
import { SOURCE_TEST_KITS } from './sourceTestKit';

export const SOURCES: readonly SourceKind[] = SOURCE_KINDS;
export const RESUME_LEASE_SECONDS = 30;

export class MovableClock implements Clock {
  constructor(private current = new Date()) {}
  now = () => this.current;
  /** Past the resume lease, so the next touch may take a `resuming` approval over. */
  passLease() {
    this.current = new Date(this.current.getTime() + (RESUME_LEASE_SECONDS + 1) * 1000);
  }
}

export const silentLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ── what the waiting workflow received ─────────────────────────────────────────────────────────────────────────────

export type Answer = 'approve' | 'reject';

/** Every answer call the stand-in received for this workflow, failed ones included. */
export function answerCallsOf(stack: LocalStack, workflow: WaitingWorkflow): RecordedCall[] {
  const { service, operations } = SOURCE_TEST_KITS[workflow.source].answerCalls;
  return stack.standins.calls.filter(
    (call) =>
      call.service === service &&
      operations.includes(call.operation) &&
      call.input !== undefined &&
      workflow.matchesCall(call.input as Record<string, unknown>),
  );
}

/**
 * The answers that took effect: calls the stand-in applied (it produced an output, even when the reply was then
 * lost). Image Builder replays of one clientToken return the first response without acting again: counted once.
 */
export function effectiveAnswers(stack: LocalStack, workflow: WaitingWorkflow): Answer[] {
  const kit = SOURCE_TEST_KITS[workflow.source];
  const applied = answerCallsOf(stack, workflow).filter((call) => call.output !== undefined);
  const keyOf = kit.idempotencyKeyOf;
  if (keyOf === undefined) return applied.map((call) => kit.answerOf(call));
  const byKey = new Map<string, Answer>();
  for (const call of applied) {
    const key = keyOf(call);
    if (!byKey.has(key)) byKey.set(key, kit.answerOf(call));
  }
  return [...byKey.values()];
}

export interface FinalState {
  approval: Approval | undefined;
  status: string;
  effective: Answer[];
  rawCalls: number;
  lost: boolean;
  consistent: boolean;
}

/**
 * Compares the stored approval with what its workflow received, and counts: lost (still open, or decided while the
 * workflow got nothing), duplicates (a second effective answer), inconsistent (the record says otherwise).
 */
export async function checkFinalState(
  stack: LocalStack,
  workflow: WaitingWorkflow,
  store: Pick<ApprovalStore, 'get'> = stack.store,
): Promise<FinalState> {
  const approval = await store.get(workflow.approvalId);
  const status = approval?.status ?? 'missing';
  const effective = effectiveAnswers(stack, workflow);
  const decided = status === 'approved' || status === 'rejected';
  const lost = !(decided || status === 'failed') || (decided && effective.length === 0);
  const expected: Answer | undefined = status === 'approved' ? 'approve' : status === 'rejected' ? 'reject' : undefined;
  const consistent =
    effective.length <= 1 && (expected ? effective[0] === expected : status === 'failed' && effective.length === 0);
  reliabilityStats.approvalsChecked += 1;
  if (lost) reliabilityStats.approvalsLost += 1;
  if (effective.length > 1) reliabilityStats.duplicateResumeCalls += effective.length - 1;
  if (!lost && !consistent) reliabilityStats.inconsistentFinalStates += 1;
  return { approval, status, effective, rawCalls: answerCallsOf(stack, workflow).length, lost, consistent };
}

/** Faults the stand-ins applied since call index `from` (injected errors and hang-ups; delays leave no mark). */
export function standinFaultsSince(stack: LocalStack, from: number): number {
  return stack.standins.calls
    .slice(from)
    .filter((call) => call.error?.message.startsWith('Injected fault') || call.error?.name === 'ConnectionDropped')
    .length;
}

/** Slack calls answered with an injected failure since index `from`. */
export function slackFaultsSince(stack: LocalStack, from: number, injectedErrors: readonly string[] = []): number {
  return stack.slack.calls
    .slice(from)
    .filter((call) => call.status !== 200 || injectedErrors.includes(call.response?.error ?? '')).length;
}

// ── the decide use case with our own dependencies ──────────────────────────────────────────────────────────────────

export type ResumerClients = SourceClients & { destroy(): void };

/** SDK clients to the stand-ins (standard configuration chain), optionally with a short per-attempt timeout. */
export function resumerClients(options: { requestTimeoutMs?: number } = {}): ResumerClients {
  const config =
    options.requestTimeoutMs === undefined
      ? {}
      : {
          requestHandler: {
            requestTimeout: options.requestTimeoutMs,
            connectionTimeout: options.requestTimeoutMs,
            throwOnRequestTimeout: true, // else the handler only warns and keeps waiting
          },
        };
  const clients = createSourceClients(config);
  return { ...clients, destroy: () => destroySourceClients(clients) };
}

export function decideDependencies(options: {
  store: ApprovalStore;
  clock: Clock;
  resumers: Record<SourceKind, SourceResumer>;
}): DecideDependencies {
  return {
    store: options.store,
    resumers: options.resumers,
    events: { publish: async () => undefined },
    people: policyDocument.people,
    clock: options.clock,
    log: silentLog,
    resumeLeaseSeconds: RESUME_LEASE_SECONDS,
  };
}

/** Thrown where a crash point says the process dies. */
export class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
  constructor(
    readonly operation: string,
    readonly when: CrashWhen,
  ) {
    super(`simulated crash ${when} ${operation}`);
  }
}

export type CrashWhen = 'before' | 'after';

/**
 * Numbers every store access and resume call in order; when armed, the chosen one dies once — before it happens, or
 * after it happened (its effect stays, its result is lost).
 */
export class CrashPoints {
  readonly trace: string[] = [];
  private armed: { index: number; when: CrashWhen } | undefined;
  fired: string | undefined;

  arm(index: number, when: CrashWhen): void {
    this.armed = { index, when };
  }

  async run<T>(operation: string, action: () => Promise<T>): Promise<T> {
    const index = this.trace.length;
    this.trace.push(operation);
    const armed = this.armed;
    if (!armed || armed.index !== index) return action();
    this.armed = undefined;
    this.fired = `${armed.when} ${operation}`;
    reliabilityStats.faultsInjected += 1;
    if (armed.when === 'after') await action();
    throw new SimulatedCrash(operation, armed.when);
  }

  store(inner: ApprovalStore): ApprovalStore {
    return {
      create: (approval) => this.run('store.create', () => inner.create(approval)),
      get: (id) => this.run('store.get', () => inner.get(id)),
      update: (approval, previous) =>
        this.run(`store.update→${approval.status}`, () => inner.update(approval, previous)),
      castDecidingVote: (write) => this.run('store.castDecidingVote→resuming', () => inner.castDecidingVote(write)),
      listOpen: (query) => inner.listOpen(query),
      findByWorkflow: (source, workflowRef) => inner.findByWorkflow(source, workflowRef),
      listClosedSince: (query) => inner.listClosedSince(query),
    };
  }

  resumers(inner: Record<SourceKind, SourceResumer>): Record<SourceKind, SourceResumer> {
    const wrap = (resumer: SourceResumer): SourceResumer => ({
      kind: resumer.kind,
      resume: (request) => this.run(`resume ${request.answer}`, () => resumer.resume(request)),
      refuse: (request) => this.run('refuse', () => resumer.refuse(request)),
    });
    return {
      stepfunctions: wrap(inner.stepfunctions),
      imagebuilder: wrap(inner.imagebuilder),
      ssm: wrap(inner.ssm),
      lambda: wrap(inner.lambda),
      codepipeline: wrap(inner.codepipeline),
    };
  }
}

export function realResumers(clients: ResumerClients): Record<SourceKind, SourceResumer> {
  return createSourceResumers(clients);
}

// ── the HTTP functions, invoked directly ───────────────────────────────────────────────────────────────────────────

const routes = loadHttpApiRoutes();

export interface DirectRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  isBase64?: boolean;
}

/**
 * The request as API Gateway (HTTP API, payload 2.0) would hand it to the function serverless.yml routes it to, and
 * the function's answer as API Gateway would return it. A handler that throws is API Gateway's 500.
 */
export async function invokeHttp(stack: LocalStack, request: DirectRequest): Promise<HttpReply & { route?: string }> {
  reliabilityStats.requestsTried += 1;
  const path = request.url.split('?')[0] ?? request.url;
  const match = matchHttpApiRoute(routes, request.method, path);
  if (!match) return { statusCode: 404, headers: {}, body: '{"message":"Not Found"}' };
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const event = toApiGatewayEvent(
    { method: request.method, url: request.url, headers: request.headers ?? {}, body, sourceIp: '198.51.100.7' },
    match.route,
    match.pathParameters,
  );
  try {
    const result = fromApiGatewayResult((await stack.functions.invoke(match.route.functionName, event)) as never);
    return {
      statusCode: result.statusCode,
      headers: result.headers,
      body: result.body.toString('utf8'),
      route: match.route.routeKey,
    };
  } catch (error) {
    return {
      statusCode: 500,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Internal Server Error', thrown: (error as Error)?.name }),
      route: match.route.routeKey,
    };
  }
}
