import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MalformedEventError } from '../../shared/app/errors';
import { SOURCE_KINDS } from '../../shared/domain/approval';
import { createSourceClients, createWaitingSources, destroySourceClients } from '../../shared/sources/sources';
import { stepFunctionsSource } from '../../shared/sources/stepfunctions/stepFunctionsSource';
import { ALL_EVENT_SAMPLES, sampleEvent, WAITING_EVENT_SAMPLES_OF } from '../support/fixtures';
import { eventArb, shortReport, taskTokensIn } from '../support/reliabilityArbitraries';
import { DYNAMODB_WRITE_OPERATIONS } from '../support/reliabilityDynamoProxy';
import { countKnownBug, reliabilityStats } from '../support/reliabilityStats';
import type { ReliabilityContext } from './context';

const RUNS = 1000;
/** A task token used as a key (e.g. a `context.fields` name) is echoed in the issue path of the error message. */
export const TOKEN_IN_PATH_BUG = 'task token used as a field name → echoed in MalformedEventError path';

const ALL_SAMPLES = ALL_EVENT_SAMPLES;
const SAMPLES_OF = WAITING_EVENT_SAMPLES_OF;

/** Every task token of the samples: none may appear in an error message, whatever was mutated. */
const SAMPLE_TOKENS = new Set(ALL_SAMPLES.flatMap((name) => [...taskTokensIn(sampleEvent(name))]));

/**
 * Accepts a MalformedEventError that names paths and carries no task token; anything else thrown is a failure.
 * Returns whether the known token-in-path bug was hit (counted, not failed).
 */
function checkRejection(error: unknown, event: unknown, what: string): void {
  if (!(error instanceof MalformedEventError)) {
    throw new Error(
      `${what}: threw ${(error as Error)?.name ?? typeof error} (${(error as Error)?.message}) for ${JSON.stringify(event)?.slice(0, 400)}`,
    );
  }
  if (typeof error.reason !== 'string' || error.reason === '') throw new Error(`${what}: no reason`);
  for (const issue of error.issues) {
    if (typeof issue.path !== 'string' || typeof issue.message !== 'string') throw new Error(`${what}: bad issue`);
  }
  const tokens = new Set([...SAMPLE_TOKENS, ...taskTokensIn(event)]);
  for (const token of tokens) {
    const leaks = [token, token.slice(0, 40)].some((part) => error.message.includes(part));
    if (!leaks) continue;
    const onlyInPaths =
      error.issues.some((issue) => issue.path.includes(token.slice(0, 40))) &&
      !error.issues.some((issue) => issue.message.includes(token.slice(0, 40)));
    if (onlyInPaths) {
      countKnownBug(TOKEN_IN_PATH_BUG);
      continue;
    }
    throw new Error(`${what}: a task token in the error message for ${JSON.stringify(event)?.slice(0, 400)}`);
  }
}

/** An `Approval Decision` event as EventBridge delivers it, for an approval that does not exist. */
function decisionEvent(): unknown {
  return {
    version: '0',
    id: '0f3c1a52-8f0e-4c36-b1d7-6a2e0c9f4d18',
    'detail-type': 'Approval Decision',
    source: 'com.example.release-bot',
    account: '111122223333',
    time: '2025-03-04T15:02:11Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      approvalId: 'apr_0123456789abcdef0123456789abcdef',
      decision: 'approve',
      approver: 'email:alice@example.com',
      comment: 'ship it',
    },
  };
}

/** One of Greenlight's own events (source greenlight), for an approval that does not exist. */
function greenlightEvent(detailType: string): unknown {
  return {
    version: '0',
    id: '1f3c1a52-8f0e-4c36-b1d7-6a2e0c9f4d18',
    'detail-type': detailType,
    source: 'greenlight',
    account: '111122223333',
    time: '2025-03-04T15:02:11Z',
    region: 'us-east-1',
    resources: [],
    detail: { approvalId: 'apr_fedcba9876543210fedcba9876543210', approval: { status: 'pending' } },
  };
}

export function eventFuzzScenarios(context: ReliabilityContext): void {
  describe(`4b. fuzzing every event parser (${RUNS} runs each): a result or a MalformedEventError naming paths`, () => {
    const clients = createSourceClients();
    afterAll(() => destroySourceClients(clients));

    it.each(SOURCE_KINDS)(
      'capture parsing of %s (arbitrary JSON, mutated samples of every source)',
      async (kind) => {
        const source = createWaitingSources(clients).find((candidate) => candidate.kind === kind);
        if (!source) throw new Error(`no source ${kind}`);
        const own = SAMPLES_OF[kind].map((name) => sampleEvent(name));
        const others = ALL_SAMPLES.map((name) => sampleEvent(name));
        const results = { waiting: 0, 'not-waiting': 0, malformed: 0 };
        await fc.assert(
          fc.asyncProperty(
            fc.oneof({ weight: 3, arbitrary: eventArb(own) }, { weight: 1, arbitrary: eventArb(others) }),
            async (event) => {
              reliabilityStats.requestsTried += 1;
              try {
                const result = await source.capture(structuredClone(event));
                if (result.kind === 'invalid') {
                  // Answerable despite being invalid (it carries a task token): judged like a rejection.
                  checkRejection(
                    new MalformedEventError(kind, 'invalid request', result.issues),
                    event,
                    `${kind} capture`,
                  );
                  results.malformed += 1;
                  return;
                }
                if (result.kind === 'waiting') {
                  if (result.item.source !== kind) throw new Error(`${kind} produced a ${result.item.source} item`);
                } else if (result.kind !== 'not-waiting' || typeof result.reason !== 'string') {
                  throw new Error(`unexpected capture result ${JSON.stringify(result)}`);
                }
                results[result.kind] += 1;
              } catch (error) {
                checkRejection(error, event, `${kind} capture`);
                results.malformed += 1;
              }
            },
          ),
          { numRuns: RUNS, reporter: shortReport },
        );
        // The mutations reach past the envelope: some events stay valid, most are refused.
        expect(results.malformed).toBeGreaterThan(RUNS / 4);
        expect(results.waiting + results['not-waiting']).toBeGreaterThan(0);
      },
      60_000,
    );

    async function fuzzHandler(functionName: string, samples: unknown[], expectResult: (result: unknown) => void) {
      const { stack, dynamoProxy } = context;
      const writesBefore = dynamoProxy.countApplied(DYNAMODB_WRITE_OPERATIONS);
      const answersBefore = stack.standins.calls.length;
      const outcomes = { handled: 0, malformed: 0 };
      await fc.assert(
        fc.asyncProperty(eventArb(samples), async (event) => {
          reliabilityStats.requestsTried += 1;
          let result: unknown;
          try {
            result = await stack.functions.invoke(functionName, structuredClone(event));
          } catch (error) {
            checkRejection(error, event, functionName);
            outcomes.malformed += 1;
            return;
          }
          expectResult(result);
          outcomes.handled += 1;
        }),
        { numRuns: RUNS, reporter: shortReport },
      );
      expect(outcomes.malformed).toBeGreaterThan(RUNS / 4);
      expect(outcomes.handled).toBeGreaterThan(0);
      // Nothing was decided, written or answered.
      expect(dynamoProxy.countApplied(DYNAMODB_WRITE_OPERATIONS)).toBe(writesBefore);
      expect(
        stack.standins.calls
          .slice(answersBefore)
          .filter((call) =>
            [
              'SendTaskSuccess',
              'SendTaskFailure',
              'SendWorkflowStepAction',
              'SendAutomationSignal',
              'SendDurableExecutionCallbackSuccess',
              'SendDurableExecutionCallbackFailure',
            ].includes(call.operation),
          ),
      ).toEqual([]);
    }

    it('the Approval Decision event schema (functions/decisionEvents.ts)', async () => {
      await fuzzHandler('decisionEvents', [decisionEvent()], (result) => {
        const outcome = result as { applied?: unknown; code?: unknown };
        if (outcome.applied !== false || outcome.code !== 'ApprovalNotFoundError') {
          throw new Error(`unexpected outcome ${JSON.stringify(result)}`);
        }
      });
    }, 60_000);

    it('the notify event schema (functions/notify.ts)', async () => {
      await fuzzHandler(
        'notify',
        [greenlightEvent('Approval Opened'), greenlightEvent('Approval Decided')],
        (result) => {
          const outcome = result as { slack?: unknown; emailsSent?: unknown };
          if (outcome.slack !== 'not-configured' || outcome.emailsSent !== 0) {
            throw new Error(`unexpected outcome ${JSON.stringify(result)}`);
          }
        },
      );
    }, 60_000);

    // The fuzzing above runs into this now and then; here it is, deterministic (reported; flip to `it` once fixed).
    it('a task token used as a context field name never reaches the error message', async () => {
      const event = sampleEvent('stepfunctions/approval-requested');
      const token = event.detail.taskToken as string;
      event.detail.context.fields = { [token]: 'x' };
      const result = await stepFunctionsSource.waitingSource(stepFunctionsSource.createClient(), {}).capture(event);
      if (result.kind !== 'invalid') throw new Error(`expected an invalid request, got ${result.kind}`);
      const leaked = JSON.stringify(result.issues).includes(token.slice(0, 40));
      if (leaked) countKnownBug(TOKEN_IN_PATH_BUG);
      expect(leaked).toBe(false);
    });
  });
}
