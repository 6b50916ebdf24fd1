/**
 * Crash points around the answer to the workflow: the decide use case with the real store (dynalite) and the real
 * resumers (SDK clients to the stand-ins), a resumer wrapper that dies where we say, and a clock we move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/localStack';
import {
  type DecideDependencies,
  type DecisionRequest,
  decideApproval,
  finishInterruptedResume,
} from '../../shared/app/decideApproval';
import type { SourceResumer } from '../../shared/app/sourcePorts';
import type { Approval, SourceKind } from '../../shared/domain/approval';
import { policyDocument } from '../../shared/runtime/policy';
import { createSourceClients, createSourceResumers } from '../../shared/sources/sources';
import { DecisionHarness, type WaitingWorkflow } from '../support/decisionHarness';

let stack: LocalStack;
let harness: DecisionHarness;

beforeAll(async () => {
  stack = await startLocalStack();
  harness = new DecisionHarness(stack);
});
afterAll(async () => {
  harness?.close();
  await stack?.close();
});

class MovableClock {
  constructor(private current = new Date()) {}
  now = () => this.current;
  advance(seconds: number) {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

type CrashPoint = 'before-call' | 'after-call';

/** Real resumers, except that the first resume of each approval dies at the crash point. */
async function dependencies(clock: MovableClock, crash?: CrashPoint): Promise<DecideDependencies> {
  const real = createSourceResumers(createSourceClients());
  const crashed = new Set<string>();
  const crashing = (resumer: SourceResumer): SourceResumer => ({
    kind: resumer.kind,
    refuse: (request) => resumer.refuse(request),
    resume: async (request) => {
      if (crash && !crashed.has(request.approval.id)) {
        crashed.add(request.approval.id);
        if (crash === 'after-call') await resumer.resume(request);
        throw new Error(`simulated crash ${crash}`);
      }
      return resumer.resume(request);
    },
  });
  return {
    store: stack.store,
    resumers: {
      stepfunctions: crashing(real.stepfunctions),
      imagebuilder: crashing(real.imagebuilder),
      ssm: crashing(real.ssm),
      lambda: crashing(real.lambda),
      codepipeline: crashing(real.codepipeline),
    },
    events: { publish: async () => undefined },
    people: policyDocument.people,
    clock,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    resumeLeaseSeconds: 30,
  };
}

function approve(workflow: WaitingWorkflow): DecisionRequest {
  return { approvalId: workflow.approvalId, decision: 'approve', approver: 'email:alice@example.com', channel: 'rest' };
}

const SOURCES: SourceKind[] = ['stepfunctions', 'imagebuilder', 'ssm', 'codepipeline'];

describe('a decision that dies between "resuming" and the resume call', () => {
  it.each(SOURCES)(
    '%s: is finished by the next touch after the lease, with one resume call in total',
    async (source) => {
      // Prepare
      const clock = new MovableClock();
      const deps = await dependencies(clock, 'before-call');
      const workflow = await harness.openWaiting(source);
      // Act 1: the decision dies
      await expect(decideApproval(deps, approve(workflow))).rejects.toThrow('simulated crash before-call');
      const stuck = (await stack.store.get(workflow.approvalId)) as Approval;
      // Act 2: a retry inside the lease leaves the holder alone
      const early = await decideApproval(deps, approve(workflow));
      // Act 3: a retry after the lease finishes it
      clock.advance(31);
      const finished = await decideApproval(deps, approve(workflow));
      const touchedAgain = await finishInterruptedResume(deps, finished.approval);
      // Assess
      expect(stuck.status).toBe('resuming');
      expect(early.approval.status).toBe('resuming');
      expect(finished.approval.status).toBe('approved');
      expect(finished.replayed).toBe(true);
      expect(touchedAgain.status).toBe('approved');
      expect(harness.answerCalls(workflow)).toHaveLength(1);
      expect((await stack.store.get(workflow.approvalId))?.status).toBe('approved');
    },
  );

  it('two touches at once after the lease (say two schedules) make one call between them', async () => {
    // Prepare
    const clock = new MovableClock();
    const deps = await dependencies(clock, 'before-call');
    const workflow = await harness.openWaiting('stepfunctions');
    await expect(decideApproval(deps, approve(workflow))).rejects.toThrow();
    clock.advance(31);
    const stuck = (await stack.store.get(workflow.approvalId)) as Approval;
    // Act
    const results = await Promise.all([finishInterruptedResume(deps, stuck), finishInterruptedResume(deps, stuck)]);
    // Assess
    expect(harness.answerCalls(workflow)).toHaveLength(1);
    expect(results.map((result) => result.status)).toContain('approved');
    expect((await stack.store.get(workflow.approvalId))?.status).toBe('approved');
  });
});

describe('a decision that dies after the resume call, before recording it', () => {
  it.each(SOURCES)('%s: the next touch records the outcome; the workflow was answered once', async (source) => {
    // Prepare
    const clock = new MovableClock();
    const deps = await dependencies(clock, 'after-call');
    const workflow = await harness.openWaiting(source);
    await expect(decideApproval(deps, approve(workflow))).rejects.toThrow('simulated crash after-call');
    // Act
    clock.advance(31);
    const finished = await decideApproval(deps, approve(workflow));
    // Assess: the second attempt was refused (SFN, SSM) or a no-op thanks to the clientToken (Image Builder)
    expect(finished.approval.status).toBe('approved');
    const calls = harness.answerCalls(workflow);
    expect(calls.filter((call) => call.error === undefined)).toHaveLength(source === 'imagebuilder' ? 2 : 1);
    if (source === 'imagebuilder') {
      expect(new Set(calls.map((call) => (call.input as { clientToken: string }).clientToken)).size).toBe(1);
      const stepExecutionId = (calls[0]?.input as { stepExecutionId: string } | undefined)?.stepExecutionId ?? '';
      expect(stack.standins.imageBuilder.get(stepExecutionId)?.status).toBe('COMPLETED');
    }
  });
});
