/** What the lifecycle function needs: the decision dependencies plus the source probes, sharing one set of clients. */
import type { LifecycleDependencies } from '../app/lifecycle';
import { createSourceClients, createSourceProbes } from '../sources/sources';
import { createDecisionDependencies } from './decisionDependencies';

const HOUR = 60 * 60;

export function createLifecycleDependencies(): LifecycleDependencies {
  const clients = createSourceClients();
  return {
    ...createDecisionDependencies(clients),
    probes: createSourceProbes(clients),
    recheckAfterSeconds: Number(process.env.RECHECK_AFTER_SECONDS ?? HOUR),
    followUpAfterSeconds: Number(process.env.FOLLOW_UP_AFTER_SECONDS ?? 5 * 60),
  };
}
