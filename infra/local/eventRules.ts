// EventBridge routing for the local stack, taken from serverless.yml itself: every `eventBridge` event of every
// function becomes a rule, so the patterns deployed to AWS and the ones used locally cannot drift apart.
import { readFileSync } from 'node:fs';
import { parseCloudFormationYaml } from '../tableDefinition';
import { type EventPattern, matchesEventPattern } from './eventPattern';

/** The default bus, Greenlight's request bus (`custom`), or its decisions bus. */
export type EventBusKind = 'default' | 'custom' | 'decisions';

export interface EventRule {
  /** Key under `functions:` in serverless.yml, e.g. `capture`. */
  functionName: string;
  /** The function's handler, e.g. `functions/capture.handler` (file path without extension + export name). */
  handler: string;
  /** `default` when the rule has no eventBus (or names the default bus), otherwise our custom bus. */
  bus: EventBusKind;
  pattern: EventPattern;
  /** The rule's `name`, when serverless.yml gives one. */
  ruleName?: string;
}

/** The value `${sls:stage}` takes in the local stack. */
export const LOCAL_STAGE = 'local';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves `${sls:stage}` to `local`; every other osls variable stays a literal string. */
function resolveVariables(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll(/\$\{\s*sls:stage\s*\}/g, LOCAL_STAGE);
  if (Array.isArray(value)) return value.map(resolveVariables);
  if (isDict(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveVariables(v)]));
  return value;
}

/** The decisions bus as serverless.yml names it on a rule: `!GetAtt DecisionEventBus.Name`. */
const DECISION_BUS_LOGICAL_ID = 'DecisionEventBus';

function busKind(eventBus: unknown): EventBusKind {
  if (eventBus === undefined || eventBus === null || eventBus === 'default') return 'default';
  const getAtt = isDict(eventBus) ? eventBus['Fn::GetAtt'] : undefined;
  if (Array.isArray(getAtt) && getAtt[0] === DECISION_BUS_LOGICAL_ID) return 'decisions';
  if (typeof eventBus === 'string' && eventBus.startsWith('arn:') && eventBus.endsWith(':event-bus/default')) {
    return 'default';
  }
  return 'custom';
}

/** Reads the EventBridge rules of all functions in serverless.yml (path relative to the working directory). */
export function loadEventRules(serverlessYmlPath = 'serverless.yml'): EventRule[] {
  const config = resolveVariables(parseCloudFormationYaml(readFileSync(serverlessYmlPath, 'utf8')));
  const functions = isDict(config) && isDict(config.functions) ? config.functions : {};
  const rules: EventRule[] = [];
  for (const [functionName, fn] of Object.entries(functions)) {
    if (!isDict(fn) || !Array.isArray(fn.events)) continue;
    for (const event of fn.events) {
      const eb = isDict(event) ? event.eventBridge : undefined;
      if (!isDict(eb) || eb.enabled === false) continue;
      if (!isDict(eb.pattern)) continue; // schedule-only rules have no pattern to match events with
      if (eb.input !== undefined || eb.inputPath !== undefined || eb.inputTransformer !== undefined) {
        // The local stack delivers the event as-is; refuse rather than hand a function a different payload than AWS.
        throw new Error(
          `${serverlessYmlPath}: ${functionName}: input/inputPath/inputTransformer are not supported locally`,
        );
      }
      if (typeof fn.handler !== 'string') throw new Error(`${serverlessYmlPath}: ${functionName} has no handler`);
      rules.push({
        functionName,
        handler: fn.handler,
        bus: busKind(eb.eventBus),
        pattern: eb.pattern,
        ...(typeof eb.name === 'string' && { ruleName: eb.name }),
      });
    }
  }
  return rules;
}

/** The rules on `bus` whose pattern matches `event` (an EventBridge event envelope: source, detail-type, detail...). */
export function rulesMatching(rules: readonly EventRule[], event: unknown, bus: EventBusKind): EventRule[] {
  return rules.filter((rule) => rule.bus === bus && matchesEventPattern(rule.pattern, event));
}
