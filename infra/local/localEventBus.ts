/**
 * The local EventBridge: routes an event on the default bus or on Greenlight's bus to the functions whose rules in
 * serverless.yml match it, invoking them asynchronously as EventBridge does.
 */
import { type EventBusKind, type EventRule, loadEventRules, rulesMatching } from './eventRules';
import type { AsyncInvocationResult, LocalFunctions } from './localFunctions';

export class LocalEventBus {
  private readonly rules: EventRule[];

  constructor(
    private readonly functions: LocalFunctions,
    serverlessYmlPath = 'serverless.yml',
  ) {
    this.rules = loadEventRules(serverlessYmlPath);
  }

  /** Delivers to every matching rule's function; resolves when they all finished (retries included). */
  async publish(event: unknown, bus: EventBusKind): Promise<AsyncInvocationResult[]> {
    const matching = rulesMatching(this.rules, event, bus);
    return Promise.all(matching.map((rule) => this.functions.invokeAsync(rule.functionName, event)));
  }
}

/** AWS services publish on the default bus; everything else we route to Greenlight's own bus. */
export function busFor(event: { source?: unknown }): EventBusKind {
  return typeof event.source === 'string' && event.source.startsWith('aws.') ? 'default' : 'custom';
}
