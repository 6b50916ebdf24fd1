/** Sample events from events/ (sourced from AWS documentation): each call returns a fresh deep copy to change. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const eventsFolder = fileURLToPath(new URL('../../events/', import.meta.url));
const cache = new Map<string, unknown>();

// biome-ignore lint/suspicious/noExplicitAny: fixtures are edited freely by tests to make them malformed
export function sampleEvent(name: string): any {
  if (!cache.has(name)) cache.set(name, JSON.parse(readFileSync(`${eventsFolder}${name}.json`, 'utf8')));
  return structuredClone(cache.get(name));
}

/** The waiting events of every source, by fixture name. */
export const WAITING_EVENT_SAMPLES = [
  'stepfunctions/approval-requested',
  'stepfunctions/approval-requested-minimal',
  'stepfunctions/lambda-invoke-payload',
  'imagebuilder/workflow-step-waiting',
  'ssm/automation-step-waiting',
  'ssm/automation-execution-waiting',
] as const;
