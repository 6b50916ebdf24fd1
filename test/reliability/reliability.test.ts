/**
 * The reliability suite: the whole local stack (dynalite behind a fault-injecting proxy, the wire-level AWS stand-ins,
 * the Slack stand-in, the real functions) under concurrency, crashes, injected faults and fuzzed input.
 *
 *   1. concurrency.ts  — one approval decided from every channel at once
 *   2. crashPoints.ts  — a crash before/after every store write and resume call, then a touch after the lease
 *   3. faults.ts       — stand-in errors, timeouts and hang-ups on the answer calls, Slack faults, DynamoDB throttling
 *   4. httpFuzz.ts, eventFuzz.ts — property-based fuzzing of every HTTP route and every event parser
 *   6. trustProperties.ts — canonical identities, the policy as the upper bound, refusals answered exactly once
 *
 * It ends with one summary block, and fails when an approval was lost, a workflow answered twice, or bad input got a
 * 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../infra/local/localStack';
import { registerSampleAutomation, registerSamplePipeline } from '../../infra/local/seedWaitingWorkflows';
import { DecisionHarness } from '../support/decisionHarness';
import { startDynamoFaultProxy } from '../support/reliabilityDynamoProxy';
import { reliabilityStats, reliabilitySummary } from '../support/reliabilityStats';
import { concurrencyScenarios } from './concurrency';
import type { ReliabilityContext } from './context';
import { crashPointScenarios } from './crashPoints';
import { eventFuzzScenarios } from './eventFuzz';
import { faultScenarios } from './faults';
import { httpFuzzScenarios } from './httpFuzz';
import { trustPropertyScenarios } from './trustProperties';

process.env.LOG_LEVEL = 'SILENT'; // thousands of refused requests; the assertions read replies and recorded state

const context = {} as ReliabilityContext;
const startedAt = Date.now();

beforeAll(async () => {
  context.stack = await startLocalStack();
  // Every DynamoDB client the functions create from here on goes through the proxy (AWS_ENDPOINT_URL_DYNAMODB).
  context.dynamoProxy = await startDynamoFaultProxy(context.stack.dynamoEndpoint);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = context.dynamoProxy.url;
  registerSampleAutomation(context.stack.standins);
  registerSamplePipeline(context.stack.standins);
  context.harness = new DecisionHarness(context.stack);
});

afterAll(async () => {
  console.log(reliabilitySummary(Date.now() - startedAt));
  context.harness?.close();
  await context.stack?.close();
  await context.dynamoProxy?.close();
});

concurrencyScenarios(context);
crashPointScenarios(context);
faultScenarios(context);
httpFuzzScenarios(context);
eventFuzzScenarios(context);
trustPropertyScenarios(context);

describe('5. the summary', () => {
  it('no approval lost, no workflow answered twice, no 5xx on bad input', () => {
    expect(reliabilityStats.approvalsChecked).toBeGreaterThan(0);
    expect(reliabilityStats.approvalsLost).toBe(0);
    expect(reliabilityStats.duplicateResumeCalls).toBe(0);
    expect(reliabilityStats.serverErrorsOnBadInput).toBe(0);
    expect(reliabilityStats.inconsistentFinalStates).toBe(0);
    // The bugs this suite found and that were fixed must not come back.
    expect(reliabilityStats.knownBugHits).toEqual({});
  });
});
