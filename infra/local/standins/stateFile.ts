import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Reads the persisted stand-in state, or undefined when there is none yet. */
export function loadStateFile<T>(statePath: string): T | undefined {
  if (!existsSync(statePath)) return undefined;
  return JSON.parse(readFileSync(statePath, 'utf8')) as T;
}

/** Writes the state atomically (temp file + rename) so a crash never leaves half a file. */
export function saveStateFile(statePath: string, state: unknown): void {
  mkdirSync(dirname(statePath), { recursive: true });
  const temporaryPath = `${statePath}.${process.pid}.tmp`;
  writeFileSync(temporaryPath, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporaryPath, statePath);
}
