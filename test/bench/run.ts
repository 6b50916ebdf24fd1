/**
 * `npm run bench`: Greenlight's benchmark. Each part runs in a fresh process (test/bench/runPart.ts) with its own
 * in-memory local stack; every figure stands beside a baseline measured in the same run, with the ratio. Goals are
 * reported (holds / does not hold) and never fail the run: machines are noisy. Prints a Markdown table and writes
 * test/bench/results/latest.json.
 *
 *   npm run bench                      # every part
 *   npm run bench -- decisions listing # some parts: decisions | bundles | dynamo | listing
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { PartResult, Row } from './lib/results';
import { progress } from './lib/stats';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS = join(ROOT, 'test/bench/results');
const ALL_PARTS = ['decisions', 'bundles', 'dynamo', 'listing'];

function runPart(part: string): Promise<PartResult> {
  const out = join(RESULTS, `${part}.json`);
  rmSync(out, { force: true });
  return new Promise((resolve, reject) => {
    // stdout is the functions' own log lines (Powertools, LOG_LEVEL=INFO as deployed): not for this terminal.
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'test/bench/runPart.ts'), part, out], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`part ${part} exited with ${code}`));
      else resolve(JSON.parse(readFileSync(out, 'utf8')) as PartResult);
    });
  });
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '—';
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 2).replace(/\.?0+$/, '');
}

export function markdownTable(rows: Row[]): string {
  const legend = [...new Set(rows.map((row) => row.baselineIs))];
  const mark = (row: Row) => String.fromCharCode(97 + legend.indexOf(row.baselineIs));
  const lines = [
    '| figure | value | baseline | ratio | goal | holds? |',
    '| --- | --: | --: | --: | --- | :-: |',
    ...rows.map(
      (row) =>
        `| ${row.figure} | ${formatNumber(row.value)} ${row.unit} | ${formatNumber(row.baseline)} ${row.unit} (${mark(row)}) | ` +
        `${formatNumber(row.ratio)}× | ${row.goal} | ${row.holds === null ? '—' : row.holds ? 'yes' : '**no**'} |`,
    ),
    '',
    `Baselines: ${legend.map((text, index) => `(${String.fromCharCode(97 + index)}) ${text}`).join('; ')}. ` +
      'Ratio = value ÷ baseline (throughput: baseline ÷ value), so above 1× is always worse.',
  ];
  return lines.join('\n');
}

async function main() {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((part) => !ALL_PARTS.includes(part));
  if (unknown.length > 0) throw new Error(`unknown part(s) ${unknown.join(', ')}; choose from ${ALL_PARTS.join(', ')}`);
  const parts = requested.length > 0 ? ALL_PARTS.filter((part) => requested.includes(part)) : ALL_PARTS;
  mkdirSync(RESULTS, { recursive: true });
  const started = performance.now();
  const results: PartResult[] = [];
  const failures: string[] = [];
  for (const part of parts) {
    progress(`part ${part}`);
    try {
      const result = await runPart(part);
      results.push(result);
      progress(`part ${part} done in ${result.seconds.toFixed(1)} s`);
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  const rows = results.flatMap((result) => result.rows);
  const table = markdownTable(rows);
  const seconds = (performance.now() - started) / 1000;
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
  const notes = results.flatMap((result) => result.notes);
  writeFileSync(
    join(RESULTS, 'latest.json'),
    `${JSON.stringify({ at: new Date().toISOString(), seconds, machine, parts, failures, table, notes, results }, null, 2)}\n`,
  );
  const held = rows.filter((row) => row.holds === true).length;
  const goals = rows.filter((row) => row.holds !== null).length;
  process.stdout.write(
    [
      '',
      `Greenlight benchmark — ${new Date().toISOString()} — ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, ${seconds.toFixed(0)} s`,
      '',
      table,
      '',
      ...notes.map((note) => `- ${note}`),
      '',
      `Goals holding: ${held} of ${goals}. Results: test/bench/results/latest.json`,
      ...failures.map((failure) => `FAILED: ${failure}`),
      '',
    ].join('\n'),
  );
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
