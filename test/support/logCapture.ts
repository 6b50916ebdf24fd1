/** Captures everything written to stdout/stderr (where the Powertools Logger writes) while a test runs. */
import { vi } from 'vitest';

export interface LogCapture {
  readonly text: () => string;
  readonly lines: () => Array<Record<string, unknown>>;
  restore(): void;
}

export function captureLogs(): LogCapture {
  const chunks: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }),
  );
  const text = () => chunks.join('');
  return {
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line.trim().startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
