/** Sample events from events/ (sourced from AWS documentation): each call returns a fresh deep copy to change. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SourceKind } from '../../shared/domain/approval';

const eventsFolder = fileURLToPath(new URL('../../events/', import.meta.url));
const cache = new Map<string, unknown>();

// biome-ignore lint/suspicious/noExplicitAny: fixtures are edited freely by tests to make them malformed
export function sampleEvent(name: string): any {
  if (!cache.has(name)) cache.set(name, JSON.parse(readFileSync(`${eventsFolder}${name}.json`, 'utf8')));
  return structuredClone(cache.get(name));
}

/** The events that announce a wait, of each source (the typecheck asks a new source for its own). */
export const WAITING_EVENT_SAMPLES_OF: Record<SourceKind, string[]> = {
  stepfunctions: [
    'stepfunctions/approval-requested',
    'stepfunctions/approval-requested-minimal',
    'stepfunctions/lambda-invoke-payload',
  ],
  imagebuilder: ['imagebuilder/workflow-step-waiting'],
  ssm: ['ssm/automation-step-waiting', 'ssm/automation-execution-waiting'],
  lambda: ['lambda/approval-requested'],
  codepipeline: ['codepipeline/action-execution-started'],
};

/** The waiting events of every source, by fixture name. */
export const WAITING_EVENT_SAMPLES: readonly string[] = Object.values(WAITING_EVENT_SAMPLES_OF).flat();

/** Every event in events/ (API responses, `*.response.json`, left out), by fixture name. */
export const ALL_EVENT_SAMPLES: readonly string[] = readdirSync(eventsFolder, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((folder) =>
    readdirSync(`${eventsFolder}${folder.name}`)
      .filter((file) => file.endsWith('.json') && !file.endsWith('.response.json'))
      .map((file) => `${folder.name}/${file.slice(0, -'.json'.length)}`),
  )
  .sort();
