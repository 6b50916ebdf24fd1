/**
 * 2. Crash points: the decide use case with the real store (dynalite) and the real resumers (SDK clients to the
 * stand-ins), where a chosen store access or resume call dies once — before it happens, or after it happened. Then the
 * approval is touched again after the lease (a client retry, the schedule, or another approver first) and must end
 * approved / rejected / failed, with at most one effective answer to its workflow.
 */
import { describe, expect, it } from 'vitest';
import { type DecisionRequest, decideApproval, finishInterruptedResume } from '../../shared/app/decideApproval';
import type { SourceKind } from '../../shared/domain/approval';
import { isDecisionRefusal } from '../../shared/domain/errors';
import type { WaitingWorkflow } from '../support/decisionHarness';
import {
  answerCallsOf,
  CrashPoints,
  type CrashWhen,
  checkFinalState,
  decideDependencies,
  MovableClock,
  realResumers,
  resumerClients,
  SimulatedCrash,
  SOURCES,
} from '../support/reliabilityHarness';
import { reliabilityStats } from '../support/reliabilityStats';
import type { ReliabilityContext } from './context';

type Vote = Pick<DecisionRequest, 'approver' | 'decision'>;
const ALICE_APPROVES: Vote = { approver: 'email:alice@example.com', decision: 'approve' };
const CAROL_APPROVES: Vote = { approver: 'email:carol@example.com', decision: 'approve' };
const CAROL_REJECTS: Vote = { approver: 'email:carol@example.com', decision: 'reject' };

interface Script {
  name: string;
  sources: SourceKind[];
  votes: Vote[];
  requiredApprovals?: number;
}

const SCRIPTS: Script[] = [
  { name: 'one approval', sources: [...SOURCES], votes: [ALICE_APPROVES] },
  { name: 'a rejection, then a late approval', sources: [...SOURCES], votes: [CAROL_REJECTS, ALICE_APPROVES] },
  {
    name: 'a quorum of two',
    sources: ['stepfunctions'],
    votes: [ALICE_APPROVES, CAROL_APPROVES],
    requiredApprovals: 2,
  },
];

const TOUCHES = ['client retry', 'schedule first', 'another approver first'] as const;
type Touch = (typeof TOUCHES)[number];

const BATCH = 12;

export function crashPointScenarios(context: ReliabilityContext): void {
  describe('2. a crash before or after every write and call of a decision', () => {
    const cases = SCRIPTS.flatMap((script) => script.sources.map((source) => [script.name, source, script] as const));

    it.each(cases)(
      '%s (%s): every crash point × every touch ends closed with at most one effective answer',
      async (_name, source, script) => {
        const { stack, harness } = context;
        const clients = resumerClients();
        const real = realResumers(clients);
        const problems: string[] = [];
        const request = (workflow: WaitingWorkflow, vote: Vote): DecisionRequest => ({
          approvalId: workflow.approvalId,
          channel: 'rest',
          ...vote,
        });
        const open = () =>
          harness.openWaiting(source, script.requiredApprovals ? { requiredApprovals: script.requiredApprovals } : {});

        /** One decision attempt as a client makes it: a crash or a refusal is an answer too; anything else is not. */
        async function attempt(deps: ReturnType<typeof decideDependencies>, decision: DecisionRequest, label: string) {
          reliabilityStats.requestsTried += 1;
          try {
            await decideApproval(deps, decision);
          } catch (error) {
            if (error instanceof SimulatedCrash || isDecisionRefusal(error)) return;
            problems.push(`${label}: unexpected ${(error as Error).name}: ${(error as Error).message}`);
          }
        }

        // The clean run names the crash points.
        const clean = new CrashPoints();
        const cleanWorkflow = await open();
        const cleanDeps = decideDependencies({
          store: clean.store(stack.store),
          clock: new MovableClock(),
          resumers: clean.resumers(real),
        });
        for (const vote of script.votes) await attempt(cleanDeps, request(cleanWorkflow, vote), 'clean run');
        const cleanFinal = await checkFinalState(stack, cleanWorkflow);
        expect(cleanFinal.consistent).toBe(true);
        const points = clean.trace.flatMap((operation, index) =>
          (['before', 'after'] as CrashWhen[]).flatMap((when) =>
            TOUCHES.map((touch) => ({ index, operation, when, touch })),
          ),
        );

        async function runCase(point: { index: number; operation: string; when: CrashWhen; touch: Touch }) {
          const label = `crash ${point.when} #${point.index} ${point.operation}, then ${point.touch}`;
          const workflow = await open();
          const clock = new MovableClock();
          const crash = new CrashPoints();
          const deps = decideDependencies({
            store: crash.store(stack.store),
            clock,
            resumers: crash.resumers(real),
          });
          crash.arm(point.index, point.when);
          for (const vote of script.votes) await attempt(deps, request(workflow, vote), label);
          if (!crash.fired)
            problems.push(`${label}: the crash point was never reached (trace ${crash.trace.join(', ')})`);

          // A retry inside the lease leaves a `resuming` approval to its holder: no answer call.
          const held = await stack.store.get(workflow.approvalId);
          const callsBefore = answerCallsOf(stack, workflow).length;
          await attempt(deps, request(workflow, script.votes.at(-1) as Vote), `${label} (inside the lease)`);
          if (held?.status === 'resuming' && answerCallsOf(stack, workflow).length !== callsBefore) {
            problems.push(`${label}: a touch inside the lease called the source`);
          }

          // After the lease: the touch, then every client retries what it sent, then the schedule sweeps once more.
          clock.passLease();
          if (point.touch === 'schedule first') {
            const stored = await stack.store.get(workflow.approvalId);
            if (stored) await finishInterruptedResume(deps, stored);
          } else if (point.touch === 'another approver first') {
            await attempt(deps, request(workflow, CAROL_REJECTS), `${label} (other approver)`);
          }
          for (const vote of script.votes) await attempt(deps, request(workflow, vote), `${label} (retry)`);
          const stored = await stack.store.get(workflow.approvalId);
          if (stored) await finishInterruptedResume(deps, stored);

          const final = await checkFinalState(stack, workflow);
          if (final.lost) problems.push(`${label}: lost (status ${final.status}, ${final.effective.length} answers)`);
          if (final.effective.length > 1) problems.push(`${label}: ${final.effective.length} effective answers`);
          if (!final.consistent) problems.push(`${label}: ${final.status} but the workflow got ${final.effective}`);
        }

        for (let start = 0; start < points.length; start += BATCH) {
          await Promise.all(points.slice(start, start + BATCH).map(runCase));
        }
        clients.destroy();
        expect(problems).toEqual([]);
        expect(points.length).toBeGreaterThanOrEqual(4 * 2 * TOUCHES.length);
      },
      60_000,
    );
  });
}
