/**
 * Part 4 — listing pending approvals with 10,000 stored: `GET /v1/approvals?status=pending&limit=N` page after page
 * through the restApi function (signed, over HTTP, local API Gateway adapter), against a bare function behind the
 * same adapter that makes one Query on OpenByCreatedAt with the same Limit. The counting proxy reports what DynamoDB
 * read for each page (ScannedCount, Count, ConsumedCapacity). The approvals are written directly with the store, in
 * concurrent batches, to the fresh table of this process's own local stack.
 */
import { performance } from 'node:perf_hooks';
import { signRestRequest } from '../../../shared/channels/restSignature';
import { type Approval, openApproval } from '../../../shared/domain/approval';
import { sampleEvent } from '../../support/fixtures';
import { createBareListHandler } from '../bare/bareFunctions';
import { startBareApi } from '../lib/bareApi';
import { startBenchStack } from '../lib/benchStack';
import type { DynamoRequestRecord } from '../lib/dynamoCountingProxy';
import { type PartResult, type Row, ratioRow } from '../lib/results';
import { mapConcurrently, mean, percentile, progress, round } from '../lib/stats';

/** The default wait of most sources (openApproval's third argument). */
const SEVEN_DAYS = 7 * 24 * 60 * 60;

const STORED = 10_000;
const BATCH = 100;
const LIMITS = [25, 100];
const WARMUP_PAGES = 5;

/** Approvals shaped like a captured Step Functions request (events/stepfunctions/approval-requested.json). */
function storedApproval(index: number, base: number): Approval {
  const { detail, resources } = sampleEvent('stepfunctions/approval-requested');
  const executionArn = `${resources[0]}-${index}`;
  const taskToken = `${detail.taskToken}${index}`;
  return openApproval(
    {
      source: 'stepfunctions',
      naturalKey: taskToken,
      sourceRef: { kind: 'stepfunctions', taskToken, executionArn, stateMachineArn: resources[1] },
      workflowRef: executionArn,
      title: `${detail.title} #${index}`,
      description: detail.description,
      context: detail.context,
      approvers: detail.approvers,
      requiredApprovals: 1,
      requestedBy: detail.requestedBy,
      timeoutSeconds: 7 * 24 * 60 * 60,
    },
    new Date(base + index),
    SEVEN_DAYS,
  );
}

interface PageSample {
  ms: number;
  items: number;
  query?: DynamoRequestRecord;
}

export async function listing(): Promise<PartResult> {
  const started = performance.now();
  const bench = await startBenchStack({ countDynamo: true, notify: 'drop' });
  const proxy = bench.proxy;
  if (!proxy) throw new Error('the counting proxy did not start');
  const bare = await startBareApi([{ method: 'GET', path: '/v1/approvals', handler: createBareListHandler() }]);
  const { stack } = bench;
  const client = stack.restClient();
  const samples: Record<string, { rest: PageSample[]; bare: PageSample[] }> = {};
  let seedSeconds = 0;
  try {
    progress(`listing: storing ${STORED} pending approvals (store.create, batches of ${BATCH} in parallel)`);
    const seedStarted = performance.now();
    const base = Date.now() - STORED;
    for (let from = 0; from < STORED; from += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, STORED - from) }, (_, k) => storedApproval(from + k, base));
      const results = await mapConcurrently(batch, BATCH, (approval) => stack.store.create(approval));
      if (results.some((result) => result !== 'created')) throw new Error('an approval was not created');
    }
    seedSeconds = (performance.now() - seedStarted) / 1000;

    const page = async (baseUrl: string, limit: number, cursor: string | undefined, phase: string) => {
      const path = `/v1/approvals?status=pending&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const signature = signRestRequest(client, {
        method: 'GET',
        pathWithQuery: path,
        body: '',
        timestamp: Math.floor(Date.now() / 1000),
      });
      const before = proxy.records.length;
      proxy.phase = phase;
      const t0 = performance.now();
      const response = await fetch(`${baseUrl}${path}`, { headers: { 'x-greenlight-signature': signature } });
      const body = (await response.json()) as { items?: unknown[]; nextCursor?: string };
      const ms = performance.now() - t0;
      proxy.phase = null;
      if (response.status !== 200) throw new Error(`${phase}: HTTP ${response.status} ${JSON.stringify(body)}`);
      const query = proxy.records.slice(before).find((record) => record.operation === 'Query');
      return { sample: { ms, items: body.items?.length ?? 0, ...(query ? { query } : {}) }, next: body.nextCursor };
    };

    for (const limit of LIMITS) {
      progress(`listing: every page at limit ${limit}, REST and bare interleaved`);
      // Warm both paths (first pages, not recorded).
      for (let i = 0; i < WARMUP_PAGES; i++) {
        await page(stack.httpUrl, limit, undefined, 'warmup');
        await page(bare.url, limit, undefined, 'warmup');
      }
      const result = { rest: [] as PageSample[], bare: [] as PageSample[] };
      let restCursor: string | undefined;
      let bareCursor: string | undefined;
      let restDone = false;
      let bareDone = false;
      while (!restDone || !bareDone) {
        if (!restDone) {
          const { sample, next } = await page(stack.httpUrl, limit, restCursor, `rest:${limit}`);
          result.rest.push(sample);
          restCursor = next;
          restDone = next === undefined;
        }
        if (!bareDone) {
          const { sample, next } = await page(bare.url, limit, bareCursor, `bare:${limit}`);
          result.bare.push(sample);
          bareCursor = next;
          bareDone = next === undefined;
        }
      }
      samples[limit] = result;
    }
  } finally {
    proxy.phase = null;
    await bare.close();
    await bench.close();
  }

  const rows: Row[] = [];
  const details: Record<string, unknown> = { stored: STORED, seedSeconds: round(seedSeconds, 1) };
  for (const limit of LIMITS) {
    const result = samples[limit];
    if (!result) continue;
    const full = (list: PageSample[]) => list.filter((sample) => sample.items > 0);
    const scanned = (list: PageSample[]) => round(mean(full(list).map((sample) => sample.query?.scannedCount ?? 0)), 2);
    const rcu = (list: PageSample[]) => round(mean(full(list).map((sample) => sample.query?.capacityUnits ?? 0)), 2);
    const p50 = (list: PageSample[]) =>
      round(
        percentile(
          full(list).map((sample) => sample.ms),
          50,
        ),
        2,
      );
    const value = scanned(result.rest);
    rows.push(
      {
        ...ratioRow(
          `Items read per page, limit ${limit} (ScannedCount)`,
          'items',
          value,
          scanned(result.bare),
          `bare Query, Limit ${limit}`,
          null,
        ),
        goal: `≈ page size (${limit} ± 10%)`,
        holds: Math.abs(value - limit) <= 0.1 * limit,
      },
      ratioRow(
        `Read capacity per page, limit ${limit}`,
        'RCU',
        rcu(result.rest),
        rcu(result.bare),
        `bare Query, Limit ${limit}`,
        null,
      ),
      ratioRow(
        `Time per page p50, limit ${limit}`,
        'ms',
        p50(result.rest),
        p50(result.bare),
        `bare fn: 1 Query, Limit ${limit}`,
        null,
      ),
    );
    details[`limit${limit}`] = {
      pages: { rest: result.rest.length, bare: result.bare.length },
      emptyTrailingPages: {
        rest: result.rest.length - full(result.rest).length,
        bare: result.bare.length - full(result.bare).length,
      },
      itemsListed: {
        rest: result.rest.reduce((sum, s) => sum + s.items, 0),
        bare: result.bare.reduce((sum, s) => sum + s.items, 0),
      },
      maxScannedPerPage: Math.max(...result.rest.map((sample) => sample.query?.scannedCount ?? 0)),
      msPerPage: {
        rest: {
          p50: p50(result.rest),
          p90: round(
            percentile(
              full(result.rest).map((s) => s.ms),
              90,
            ),
            2,
          ),
          p99: round(
            percentile(
              full(result.rest).map((s) => s.ms),
              99,
            ),
            2,
          ),
        },
        bare: {
          p50: p50(result.bare),
          p90: round(
            percentile(
              full(result.bare).map((s) => s.ms),
              90,
            ),
            2,
          ),
          p99: round(
            percentile(
              full(result.bare).map((s) => s.ms),
              99,
            ),
            2,
          ),
        },
      },
      queriesPerPage: {
        rest: round(mean(result.rest.map((sample) => (sample.query ? 1 : 0))), 2),
      },
    };
  }
  const pages = (limit: number) => (details[`limit${limit}`] as { pages: { rest: number } } | undefined)?.pages.rest;
  return {
    part: 'listing',
    seconds: (performance.now() - started) / 1000,
    rows,
    notes: [
      `Listing: ${STORED} pending approvals stored in ${round(seedSeconds, 1)} s; every page walked with each limit ` +
        `(${LIMITS.map((limit) => `${pages(limit)} pages at ${limit}`).join(', ')}), REST and bare interleaved; ` +
        'figures over pages that returned items.',
    ],
    details,
  };
}
