/** Small statistics and load helpers for the benchmark (no dependencies). */
import { performance } from 'node:perf_hooks';

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

export const mean = (samples: readonly number[]) =>
  samples.length === 0 ? Number.NaN : samples.reduce((sum, value) => sum + value, 0) / samples.length;

export interface TimedRun {
  /** Milliseconds per task, in completion order. */
  latencies: number[];
  /** Wall time of the whole run, milliseconds. */
  wallMs: number;
}

/** Runs every task with at most `concurrency` in flight; records each one's latency and the run's wall time. */
export async function runConcurrently(
  tasks: ReadonlyArray<() => Promise<unknown>>,
  concurrency: number,
): Promise<TimedRun> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++] as () => Promise<unknown>;
      const t0 = performance.now();
      await task();
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return { latencies, wallMs: performance.now() - started };
}

/** Runs `fn` over `items` with at most `concurrency` in flight (setup work, not measured). */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export const round = (value: number, digits = 2) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

/** Progress for whoever watches the run (stderr: stdout of a part belongs to the functions' logs). */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
