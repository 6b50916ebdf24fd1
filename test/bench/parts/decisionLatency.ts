/**
 * Part 1 — decision latency and throughput: signed `POST /v1/approvals/{id}/decision` for fresh waiting Step
 * Functions approvals, over HTTP through the local API Gateway adapter to the real restApi function, against two bare
 * functions behind the same adapter (test/bench/bare/bareFunctions.ts): the floor of an exactly-once decision
 * (conditional UpdateItem to `resuming`, SendTaskSuccess, final UpdateItem: three calls), which the goal is about, and
 * the same floor followed by one PutEvents (what an outbound event on the request path costs), and the earlier two-call
 * baseline (one conditional UpdateItem + SendTaskSuccess, not crash-safe), shown for comparison.
 * All get fresh approvals captured the same way, the same client and the same concurrency, in interleaved rounds.
 *
 * GREENLIGHT_BENCH_SAMPLES (default 300) sets the samples per path and concurrency, for a shorter run.
 *
 * Latency is measured with one request in flight (a Lambda instance serves one request at a time; here everything
 * shares one Node process, so with more in flight latency is mostly queueing), throughput with 8 in flight.
 */
import { performance } from 'node:perf_hooks';
import { type RestClientCredentials, signRestRequest } from '../../../shared/channels/restSignature';
import { createBareDecisionHandler, createBareExactlyOnceDecisionHandler } from '../bare/bareFunctions';
import { startBareApi } from '../lib/bareApi';
import { type BenchStack, startBenchStack } from '../lib/benchStack';
import { type PartResult, ratioRow } from '../lib/results';
import { mapConcurrently, percentile, progress, round, runConcurrently } from '../lib/stats';

const WARMUP = 30;
const SAMPLES = Number(process.env.GREENLIGHT_BENCH_SAMPLES ?? 300);
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

type Path = 'full' | 'floor' | 'announced' | 'bare';
const PATHS: readonly Path[] = ['full', 'floor', 'announced', 'bare'];

class Comparison {
  readonly full = emptyStats();
  /** The three-call exactly-once floor. */
  readonly floor = emptyStats();
  /** The floor, then one PutEvents. */
  readonly announced = emptyStats();
  /** The two-call baseline. */
  readonly bare = emptyStats();

  constructor(
    private readonly bench: BenchStack,
    private readonly urls: { floor: string; announced: string; bare: string },
    private readonly concurrency: number,
  ) {}

  async run(path: Path, approvalIds: string[], record = true): Promise<void> {
    const stats = this[path];
    const url = path === 'full' ? this.bench.stack.httpUrl : this.urls[path];
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

  /** `samples` per path in `ROUNDS` rounds, rotating which path goes first so drift favours none. */
  async interleaved(ids: Record<Path, string[]>, label: string): Promise<void> {
    const perRound = Math.ceil(ids.full.length / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      const slice = (list: string[]) => list.slice(round * perRound, (round + 1) * perRound);
      const order = [...PATHS.slice(round % PATHS.length), ...PATHS.slice(0, round % PATHS.length)];
      for (const path of order) await this.run(path, slice(ids[path]));
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
  const route = { method: 'POST', path: '/v1/approvals/{id}/decision' };
  const floorApi = await startBareApi([{ ...route, handler: createBareExactlyOnceDecisionHandler() }]);
  const announcedApi = await startBareApi([
    { ...route, handler: createBareExactlyOnceDecisionHandler({ announce: true }) },
  ]);
  const bareApi = await startBareApi([{ ...route, handler: createBareDecisionHandler() }]);
  const urls = { floor: floorApi.url, announced: announcedApi.url, bare: bareApi.url };
  const single = new Comparison(bench, urls, 1);
  const loaded = new Comparison(bench, urls, THROUGHPUT_CONCURRENCY);
  const inline = new Comparison(bench, urls, 1);
  try {
    const total = 2 * PATHS.length * SAMPLES + PATHS.length * WARMUP;
    progress(`decisions: capturing ${total} waiting approvals`);
    const ids = await openApprovals(bench, total);
    const take = (count: number) => ids.splice(0, count);
    const takeEach = () => ({
      full: take(SAMPLES),
      floor: take(SAMPLES),
      announced: take(SAMPLES),
      bare: take(SAMPLES),
    });

    progress('decisions: warm-up');
    for (const path of PATHS) await single.run(path, take(WARMUP), false);
    await single.interleaved(takeEach(), '1 in flight,');
    await loaded.interleaved(takeEach(), `${THROUGHPUT_CONCURRENCY} in flight,`);

    // As the local stack really runs it: the EventBridge stand-in waits for notify (Slack update, bookkeeping).
    bench.notify.mode = 'inline';
    progress(`decisions: ${INLINE_SAMPLES} more with notify delivered inline (the stand-in's behaviour)`);
    const inlineIds = await openApprovals(bench, INLINE_SAMPLES);
    await inline.run('full', inlineIds);

    const answered = bench.stack.standins.callsTo('sfn', 'SendTaskSuccess').filter((call) => !call.error).length;
    const expected = total + INLINE_SAMPLES;
    const baselines = [
      {
        of: 'floor',
        is: 'bare fn, exactly-once floor: cond. UpdateItem → resuming + SendTaskSuccess + UpdateItem',
        goal: MAX_RATIO,
      },
      { of: 'announced', is: 'bare fn, exactly-once floor + 1 PutEvents', goal: null },
      { of: 'bare', is: 'bare fn: 1 cond. UpdateItem + SendTaskSuccess', goal: null },
    ] as const;
    const rows = baselines.flatMap(({ of, is, goal }) => [
      ratioRow('Decision latency p50 (1 in flight)', 'ms', p(single.full, 50), p(single[of], 50), is, goal),
      ratioRow('Decision latency p99 (1 in flight)', 'ms', p(single.full, 99), p(single[of], 99), is, goal),
      ratioRow(
        `Decision throughput (${THROUGHPUT_CONCURRENCY} in flight)`,
        'req/s',
        throughput(loaded.full),
        throughput(loaded[of]),
        is,
        goal,
        'higher',
      ),
      ratioRow(
        `Decision latency p99 (${THROUGHPUT_CONCURRENCY} in flight)`,
        'ms',
        p(loaded.full, 99),
        p(loaded[of], 99),
        is,
        goal,
      ),
    ]);
    rows.push(
      ratioRow(
        'Decision latency p50, notify run inline as the stand-in does',
        'ms',
        p(inline.full, 50),
        p(single.floor, 50),
        baselines[0].is,
        null,
      ),
    );
    return {
      part: 'decisions',
      seconds: (performance.now() - started) / 1000,
      rows,
      notes: [
        `Decisions: ${SAMPLES} samples per path and concurrency after ${WARMUP} warm-up, ${ROUNDS} interleaved rounds; ` +
          `notify's events dropped (on AWS, PutEvents returns before delivery); ${answered}/${expected} SendTaskSuccess answered; ` +
          `stand-in calls per decision: restApi ${JSON.stringify(perDecision(single.full))}, ` +
          `floor ${JSON.stringify(perDecision(single.floor))}, floor + PutEvents ${JSON.stringify(perDecision(single.announced))}, ` +
          `bare ${JSON.stringify(perDecision(single.bare))}.`,
      ],
      details: {
        oneInFlight: {
          full: summary(single.full),
          floor: summary(single.floor),
          announced: summary(single.announced),
          bare: summary(single.bare),
        },
        [`${THROUGHPUT_CONCURRENCY}InFlight`]: {
          full: summary(loaded.full),
          floor: summary(loaded.floor),
          announced: summary(loaded.announced),
          bare: summary(loaded.bare),
        },
        inlineNotifyOneInFlight: summary(inline.full),
        sendTaskSuccessAnswered: answered,
        sendTaskSuccessExpected: expected,
      },
    };
  } finally {
    await floorApi.close();
    await announcedApi.close();
    await bareApi.close();
    await bench.close();
  }
}
