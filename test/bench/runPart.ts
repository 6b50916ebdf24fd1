/**
 * Runs one part of the benchmark in this (fresh) process and writes its result as JSON: `tsx test/bench/runPart.ts
 * <part> <result.json>`. run.ts starts one process per part, so no part inherits another's warm modules, caches or
 * garbage, and each function module binds to that part's own local stack.
 */
import { writeFileSync } from 'node:fs';
import type { PartResult } from './lib/results';

const PARTS: Record<string, () => Promise<PartResult>> = {
  decisions: async () => (await import('./parts/decisionLatency')).decisionLatency(),
  bundles: async () => (await import('./parts/bundles')).bundles(),
  dynamo: async () => (await import('./parts/dynamoRequests')).dynamoRequests(),
  listing: async () => (await import('./parts/listing')).listing(),
};

export const PART_NAMES = Object.keys(PARTS);

async function main() {
  const [name, outFile] = process.argv.slice(2);
  const part = name ? PARTS[name] : undefined;
  if (!part || !outFile) throw new Error(`usage: runPart.ts <${PART_NAMES.join('|')}> <result.json>`);
  const result = await part();
  writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `[bench] part failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
