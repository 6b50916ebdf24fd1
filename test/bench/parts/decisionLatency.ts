/**
 * Part 1 — decision latency and throughput: signed `POST /v1/approvals/{id}/decision` for fresh waiting Step
 * Functions approvals, over HTTP through the local API Gateway adapter to the real restApi function, against a bare
 * function behind the same adapter that does only one conditional UpdateItem and one SendTaskSuccess.
 * Both get fresh approvals captured the same way, the same client and the same concurrency, in interleaved rounds.
 *
 * Latency is measured with one request in flight (a Lambda instance serves one request at a time; here everything
 * shares one Node process, so with more in flight latency is mostly queueing), throughput with 8 in flight.
 */
import { performance } from 'node:perf_hooks';
import { type RestClientCredentials, signRestRequest } from '../../../shared/channels/restSignature';
import { createBareDecisionHandler } from '../bare/bareFunctions';
import { startBareApi } from '../lib/bareApi';
import { type BenchStack, startBenchStack } from '../lib/benchStack';
import { type PartResult, ratioRow } from '../lib/results';
import { mapConcurrently, percentile, progress, round, runConcurrently } from '../lib/stats';

const WARMUP = 30;
const SAMPLES = 300;
const ROUNDS = 6;
const THROUGHPUT_CONCURRENCY = 8;
const INLINE_SAMPLES = 60;
const MAX_RATIO = 1.3;

interface PathStats {
  latencies: number[];
  wallMs: number;
  statuses: Record<string, number>;
  /** Stand-in calls made while this path ran, by `service.Operation`. */
  calls: Record<string, number>;
}

const emptyStats = (): PathStats => ({ latencies: [], wallMs: 0, statuses: {}, calls: {} });

async function openApprovals(bench: BenchStack, count: number): Promise<string[]> {
  return mapConcurrently(Array.from({ length: count }), 4, async () => {
    const workflow = await bench.harness.openWaiting('stepfunctions');
    return workflow.approvalId;
  });
}

/** One decision request, built the same way for both paths (the bare function ignores the signature). */
async function decide(
  baseUrl: string,
  client: RestClientCredentials,
  approvalId: string,
  statuses: Record<string, number>,
) {
  const path = `/v1/approvals/${approvalId}/decision`;
  const body = JSON.stringify({ decision: 'approve', approver: 'email:alice@example.com' });
  const signature = signRestRequest(client, {
    method: 'POST',
    pathWithQuery: path,
    body,
    timestamp: Math.floor(Date.now() / 1000),
  });
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-greenlight-signature': signature },
    body,
  });
  await response.text();
  statuses[response.status] = (statuses[response.status] ?? 0) + 1;
}

class Comparison {
  readonly full = emptyStats();
  readonly bare = emptyStats();

  constructor(
    private readonly bench: BenchStack,
    private readonly bareUrl: string,
    private readonly concurrency: number,
  ) {}

  async run(path: 'full' | 'bare', approvalIds: string[], record = true): Promise<void> {
    const stats = path === 'full' ? this.full : this.bare;
    const url = path === 'full' ? this.bench.stack.httpUrl : this.bareUrl;
    const client = this.bench.stack.restClient();
    const statuses: Record<string, number> = record ? stats.statuses : {};
    const callsBefore = this.bench.stack.standins.calls.length;
    const run = await runConcurrently(
      approvalIds.map((id) => () => decide(url, client, id, statuses)),
      this.concurrency,
    );
    if (!record) return;
    stats.latencies.push(...run.latencies);
    stats.wallMs += run.wallMs;
    for (const call of this.bench.stack.standins.calls.slice(callsBefore)) {
      const key = `${call.service}.${call.operation}`;
      stats.calls[key] = (stats.calls[key] ?? 0) + 1;
    }
  }

  /** `samples` per path in `ROUNDS` rounds, alternating which path goes first so drift favours neither. */
  async interleaved(fullIds: string[], bareIds: string[], label: string): Promise<void> {
    const perRound = Math.ceil(fullIds.length / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      const slice = (ids: string[]) => ids.slice(round * perRound, (round + 1) * perRound);
      const order = round % 2 === 0 ? (['full', 'bare'] as const) : (['bare', 'full'] as const);
      for (const path of order) await this.run(path, slice(path === 'full' ? fullIds : bareIds));
      progress(`decisions: ${label} round ${round + 1}/${ROUNDS}`);
    }
  }
}

const p = (stats: PathStats, q: number) => round(percentile(stats.latencies, q), 2);
const throughput = (stats: PathStats) => round((stats.latencies.length / stats.wallMs) * 1000, 1);
const perDecision = (stats: PathStats) =>
  Object.fromEntries(
    Object.entries(stats.calls).map(([key, count]) => [key, round(count / Math.max(1, stats.latencies.length), 2)]),
  );
const summary = (stats: PathStats) => ({
  samples: stats.latencies.length,
  p50: p(stats, 50),
  p90: p(stats, 90),
  p99: p(stats, 99),
  max: p(stats, 100),
  throughput: throughput(stats),
  statuses: stats.statuses,
  standinCallsPerDecision: perDecision(stats),
});

export async function decisionLatency(): Promise<PartResult> {
  const started = performance.now();
  const bench = await startBenchStack({ notify: 'drop' });
  const bare = await startBareApi([
    { method: 'POST', path: '/v1/approvals/{id}/decision', handler: createBareDecisionHandler() },
  ]);
  const single = new Comparison(bench, bare.url, 1);
  const loaded = new Comparison(bench, bare.url, THROUGHPUT_CONCURRENCY);
  const inline = new Comparison(bench, bare.url, 1);
  try {
    progress(`decisions: capturing ${4 * SAMPLES + 2 * WARMUP} waiting approvals`);
    const ids = await openApprovals(bench, 4 * SAMPLES + 2 * WARMUP);
    const take = (count: number) => ids.splice(0, count);

    progress('decisions: warm-up');
    await single.run('full', take(WARMUP), false);
    await single.run('bare', take(WARMUP), false);
    await single.interleaved(take(SAMPLES), take(SAMPLES), '1 in flight,');
    await loaded.interleaved(take(SAMPLES), take(SAMPLES), `${THROUGHPUT_CONCURRENCY} in flight,`);

    // As the local stack really runs it: the EventBridge stand-in waits for notify (Slack update, bookkeeping).
    bench.notify.mode = 'inline';
    progress(`decisions: ${INLINE_SAMPLES} more with notify delivered inline (the stand-in's behaviour)`);
    const inlineIds = await openApprovals(bench, INLINE_SAMPLES);
    await inline.run('full', inlineIds);

    const answered = bench.stack.standins.callsTo('sfn', 'SendTaskSuccess').filter((call) => !call.error).length;
    const expected = 4 * SAMPLES + 2 * WARMUP + INLINE_SAMPLES;
    const bareIs = 'bare fn: 1 cond. UpdateItem + SendTaskSuccess';
    const rows = [
      ratioRow('Decision latency p50 (1 in flight)', 'ms', p(single.full, 50), p(single.bare, 50), bareIs, MAX_RATIO),
      ratioRow('Decision latency p99 (1 in flight)', 'ms', p(single.full, 99), p(single.bare, 99), bareIs, MAX_RATIO),
      ratioRow(
        `Decision throughput (${THROUGHPUT_CONCURRENCY} in flight)`,
        'req/s',
        throughput(loaded.full),
        throughput(loaded.bare),
        bareIs,
        MAX_RATIO,
        'higher',
      ),
      ratioRow(
        `Decision latency p99 (${THROUGHPUT_CONCURRENCY} in flight)`,
        'ms',
        p(loaded.full, 99),
        p(loaded.bare, 99),
        bareIs,
        MAX_RATIO,
      ),
      ratioRow(
        'Decision latency p50, notify run inline as the stand-in does',
        'ms',
        p(inline.full, 50),
        p(single.bare, 50),
        bareIs,
        null,
      ),
    ];
    return {
      part: 'decisions',
      seconds: (performance.now() - started) / 1000,
      rows,
      notes: [
        `Decisions: ${SAMPLES} samples per path and concurrency after ${WARMUP} warm-up, ${ROUNDS} interleaved rounds; ` +
          `notify's events dropped (on AWS, PutEvents returns before delivery); ${answered}/${expected} SendTaskSuccess answered; ` +
          `stand-in calls per decision: restApi ${JSON.stringify(perDecision(single.full))}, bare ${JSON.stringify(perDecision(single.bare))}.`,
      ],
      details: {
        oneInFlight: { full: summary(single.full), bare: summary(single.bare) },
        [`${THROUGHPUT_CONCURRENCY}InFlight`]: { full: summary(loaded.full), bare: summary(loaded.bare) },
        inlineNotifyOneInFlight: summary(inline.full),
        sendTaskSuccessAnswered: answered,
        sendTaskSuccessExpected: expected,
      },
    };
  } finally {
    await bare.close();
    await bench.close();
  }
}
