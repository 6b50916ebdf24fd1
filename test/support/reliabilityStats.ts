/**
 * Counters of the reliability suite (test/reliability/): what was tried, what was injected, and the three numbers
 * that must stay zero — approvals lost, duplicate resume calls, 5xx answers to bad input. The suite prints them as one
 * block at the end and fails when one of the three is not zero.
 */

export interface ReliabilityCounters {
  /** HTTP requests, handler invocations, use-case calls and event parses the suite made. */
  requestsTried: number;
  /** Faults that actually fired: stand-in errors, hang-ups and delays, Slack errors, DynamoDB faults, crashes. */
  faultsInjected: number;
  /** Approvals whose final state was checked against what the waiting workflow received. */
  approvalsChecked: number;
  /** Approvals left pending/resuming after every touch, or closed as decided while the workflow got no answer. */
  approvalsLost: number;
  /** Effective answers to a workflow beyond the first (a second approve/reject that took effect). */
  duplicateResumeCalls: number;
  /** 5xx answers (or handler crashes) to requests that carried bad input, outside the fixed bugs below. */
  serverErrorsOnBadInput: number;
  /** Final states that disagree with the answer the workflow received (e.g. `failed` although it was approved). */
  inconsistentFinalStates: number;
  /** Hits of the product bugs this suite found and that were fixed: any hit is a regression. */
  knownBugHits: Record<string, number>;
}

export const reliabilityStats: ReliabilityCounters = {
  requestsTried: 0,
  faultsInjected: 0,
  approvalsChecked: 0,
  approvalsLost: 0,
  duplicateResumeCalls: 0,
  serverErrorsOnBadInput: 0,
  inconsistentFinalStates: 0,
  knownBugHits: {},
};

export function countKnownBug(name: string, hits = 1): void {
  reliabilityStats.knownBugHits[name] = (reliabilityStats.knownBugHits[name] ?? 0) + hits;
}

/** The one block the suite prints at the end. Deliberately not shaped like a test runner's pass/fail line. */
export function reliabilitySummary(elapsedMs: number): string {
  const s = reliabilityStats;
  const known = Object.entries(s.knownBugHits);
  return [
    '── Greenlight reliability summary ──',
    `requests tried:           ${s.requestsTried}`,
    `faults injected:          ${s.faultsInjected}`,
    `approvals checked:        ${s.approvalsChecked}`,
    `approvals lost:           ${s.approvalsLost} (must be 0)`,
    `duplicate resume calls:   ${s.duplicateResumeCalls} (must be 0)`,
    `5xx on bad input:         ${s.serverErrorsOnBadInput} (must be 0)`,
    `inconsistent final state: ${s.inconsistentFinalStates} (must be 0)`,
    `fixed bugs come back:     ${known.length === 0 ? 'none' : ''}`,
    ...known.map(([name, hits]) => `  - ${name}: ${hits}×`),
    `elapsed:                  ${(elapsedMs / 1000).toFixed(1)} s`,
  ].join('\n');
}
