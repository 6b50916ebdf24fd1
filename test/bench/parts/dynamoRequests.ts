/**
 * Part 3 — DynamoDB requests and capacity per approval lifecycle (capture → decide → resume), counted on the wire by
 * the proxy in front of dynalite. Notify's events are held back during capture and decide and run afterwards, so
 * its requests (the `DELIVERY` bookkeeping item, and its reads of the approval) are counted on their own.
 *
 * Baselines, measured through the same proxy in the same run: capture = one conditional PutItem of the same item;
 * decide = the bare decision function (one conditional UpdateItem); bookkeeping = one PutItem of the final
 * `DELIVERY` item per notify invocation.
 */
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { lambdaContext } from '../../../infra/local/lambdaContext';
import { LOCAL_CREDENTIALS } from '../../../infra/local/localDynamo';
import { LOCAL_TABLE_NAME } from '../../../infra/local/localStack';
import type { SourceKind } from '../../../shared/domain/approval';
import { createDocumentClient } from '../../../shared/runtime/createDocumentClient';
import { createBareDecisionHandler } from '../bare/bareFunctions';
import { startBenchStack } from '../lib/benchStack';
import type { DynamoRequestRecord } from '../lib/dynamoCountingProxy';
import { type PartResult, type Row, ratioRow } from '../lib/results';
import { mean, progress, round } from '../lib/stats';

const SOURCES: SourceKind[] = ['stepfunctions', 'imagebuilder', 'ssm'];
const LIFECYCLES_PER_SOURCE = 5;

interface Tally {
  writes: number;
  reads: number;
  queries: number;
  scans: number;
  /** Write capacity units: table (dynalite) + global secondary indexes (computed). */
  wcu: number;
  indexWcu: number;
  rcu: number;
}

function tally(records: DynamoRequestRecord[], item?: string): Tally {
  const mine = item === undefined ? records : records.filter((record) => record.item === item);
  const writes = mine.filter((record) => record.write);
  const reads = mine.filter((record) => !record.write);
  return {
    writes: writes.length,
    reads: reads.filter((record) => record.operation === 'GetItem' || record.operation === 'BatchGetItem').length,
    queries: mine.filter((record) => record.operation === 'Query').length,
    scans: mine.filter((record) => record.operation === 'Scan').length,
    wcu: writes.reduce((sum, record) => sum + record.capacityUnits + record.indexWriteUnits, 0),
    indexWcu: writes.reduce((sum, record) => sum + record.indexWriteUnits, 0),
    rcu: reads.reduce((sum, record) => sum + record.capacityUnits, 0),
  };
}

const average = (tallies: Tally[], key: keyof Tally) => round(mean(tallies.map((one) => one[key])), 2);
const maximum = (tallies: Tally[], key: keyof Tally) => Math.max(...tallies.map((one) => one[key]));

function decisionEvent(approvalId: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /v1/approvals/{id}/decision',
    rawPath: `/v1/approvals/${approvalId}/decision`,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    pathParameters: { id: approvalId },
    body: JSON.stringify({ decision: 'approve', approver: 'email:alice@example.com' }),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

export async function dynamoRequests(): Promise<PartResult> {
  const started = performance.now();
  const bench = await startBenchStack({ countDynamo: true, notify: 'deferred' });
  const proxy = bench.proxy;
  if (!proxy) throw new Error('the counting proxy did not start');
  const { stack, harness } = bench;
  // Reads the stored items without the proxy (not counted); writes for the baselines go through it.
  const direct = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }),
  );
  const viaProxy = createDocumentClient();
  const bareDecision = createBareDecisionHandler();
  const rawItem = async (approvalId: string, sk: string) =>
    (await direct.send(new GetCommand({ TableName: LOCAL_TABLE_NAME, Key: { pk: `APPROVAL#${approvalId}`, sk } })))
      .Item;

  const lifecycles: Array<{ source: SourceKind; capture: Tally; decide: Tally; notify: Tally; all: Tally }> = [];
  const notifyPhase: { delivery: Tally[]; approvalReads: Tally[]; invocations: number[] } = {
    delivery: [],
    approvalReads: [],
    invocations: [],
  };
  const bare: { capture: Tally[]; decide: Tally[]; bookkeeping: Tally[] } = {
    capture: [],
    decide: [],
    bookkeeping: [],
  };
  const statuses: Record<string, number> = {};
  try {
    // Warm every function once (nothing counted): cold-start reads are not part of a lifecycle.
    proxy.phase = null;
    const warm = await harness.openWaiting('stepfunctions');
    await harness.decide('rest', warm.approvalId, 'approve');
    await bench.notify.drain();

    let n = 0;
    for (const source of SOURCES) {
      progress(`dynamo: ${LIFECYCLES_PER_SOURCE} lifecycles of ${source}`);
      for (let i = 0; i < LIFECYCLES_PER_SOURCE; i++, n++) {
        proxy.phase = `capture:${n}`;
        const workflow = await harness.openWaiting(source);
        proxy.phase = null;
        const captured = await rawItem(workflow.approvalId, 'APPROVAL');
        proxy.phase = `decide:${n}`;
        const reply = await harness.decide('rest', workflow.approvalId, 'approve');
        statuses[reply?.statusCode ?? 'none'] = (statuses[reply?.statusCode ?? 'none'] ?? 0) + 1;
        proxy.phase = `notify:${n}`;
        const invocations = await bench.notify.drain();
        proxy.phase = null;

        const notifyRecords = proxy.recordsOf(`notify:${n}`);
        const lifecycle = {
          source,
          capture: tally(proxy.recordsOf(`capture:${n}`), 'APPROVAL'),
          decide: tally(proxy.recordsOf(`decide:${n}`), 'APPROVAL'),
          notify: tally(notifyRecords),
          all: tally([...proxy.recordsOf(`capture:${n}`), ...proxy.recordsOf(`decide:${n}`), ...notifyRecords]),
        };
        lifecycles.push(lifecycle);
        notifyPhase.delivery.push(tally(notifyRecords, 'DELIVERY'));
        notifyPhase.approvalReads.push(tally(notifyRecords, 'APPROVAL'));
        notifyPhase.invocations.push(invocations);

        // Baselines through the same proxy.
        const delivery = await rawItem(workflow.approvalId, 'DELIVERY');
        proxy.phase = `bare-capture:${n}`;
        const copyId = `apr_bare${String(n).padStart(28, '0')}`;
        await viaProxy.send(
          new PutCommand({
            TableName: LOCAL_TABLE_NAME,
            Item: { ...captured, pk: `APPROVAL#${copyId}`, id: copyId },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        proxy.phase = `bare-bookkeeping:${n}`;
        for (let k = 0; k < invocations && delivery; k++) {
          await viaProxy.send(
            new PutCommand({ TableName: LOCAL_TABLE_NAME, Item: { ...delivery, pk: `APPROVAL#${copyId}` } }),
          );
        }
        proxy.phase = null;
        bare.capture.push(tally(proxy.recordsOf(`bare-capture:${n}`)));
        bare.bookkeeping.push(tally(proxy.recordsOf(`bare-bookkeeping:${n}`)));
      }
    }
    // The bare decision needs a Step Functions task token: fresh approvals of that source.
    for (let i = 0; i < LIFECYCLES_PER_SOURCE; i++) {
      const workflow = await harness.openWaiting('stepfunctions');
      await bench.notify.drain();
      proxy.phase = `bare-decide:${i}`;
      await bareDecision(decisionEvent(workflow.approvalId), lambdaContext('bare-decision'));
      proxy.phase = null;
      bare.decide.push(tally(proxy.recordsOf(`bare-decide:${i}`)));
    }
  } finally {
    proxy.phase = null;
    direct.destroy();
    viaProxy.destroy();
    await bench.close();
  }

  const capture = lifecycles.map((one) => one.capture);
  const decide = lifecycles.map((one) => one.decide);
  const all = lifecycles.map((one) => one.all);
  const cu = (tallies: Tally[]) => round(mean(tallies.map((one) => one.wcu + one.rcu)), 2);
  const count = (tallies: Tally[]) => round(mean(tallies.map((one) => one.writes + one.reads + one.queries)), 2);
  const rows: Row[] = [
    {
      ...ratioRow(
        'DynamoDB writes to capture (approval item)',
        'writes',
        average(capture, 'writes'),
        average(bare.capture, 'writes'),
        '1 cond. PutItem of the same item',
        null,
      ),
      goal: '= 1 write',
      holds: maximum(capture, 'writes') === 1 && Math.min(...capture.map((one) => one.writes)) === 1,
    },
    ratioRow(
      'Capacity to capture (WCU + RCU, incl. index writes)',
      'CU',
      cu(capture),
      cu(bare.capture),
      '1 cond. PutItem of the same item',
      null,
    ),
    {
      ...ratioRow(
        'DynamoDB writes to decide + resume (approval item)',
        'writes',
        average(decide, 'writes'),
        average(bare.decide, 'writes'),
        'bare fn: 1 cond. UpdateItem',
        null,
      ),
      goal: '≤ 2 writes',
      holds: maximum(decide, 'writes') <= 2,
    },
    ratioRow(
      'DynamoDB requests to decide + resume (approval item)',
      'requests',
      count(decide),
      count(bare.decide),
      'bare fn: 1 cond. UpdateItem',
      null,
    ),
    ratioRow(
      'Capacity to decide + resume (WCU + RCU, incl. index writes)',
      'CU',
      cu(decide),
      cu(bare.decide),
      'bare fn: 1 cond. UpdateItem',
      null,
    ),
    {
      ...ratioRow(
        'Scans per lifecycle (capture + decide + notify)',
        'scans',
        average(all, 'scans'),
        0,
        'none needed',
        null,
      ),
      goal: 'no scans',
      holds: maximum(all, 'scans') === 0,
    },
    ratioRow(
      'Notify bookkeeping writes per lifecycle (DELIVERY item)',
      'writes',
      average(notifyPhase.delivery, 'writes'),
      average(bare.bookkeeping, 'writes'),
      '1 PutItem per notify invocation',
      null,
    ),
    ratioRow(
      'Notify bookkeeping capacity per lifecycle (DELIVERY, W + R)',
      'CU',
      cu(notifyPhase.delivery),
      cu(bare.bookkeeping),
      '1 PutItem per notify invocation',
      null,
    ),
    ratioRow(
      'Notify reads of the approval item per lifecycle',
      'reads',
      average(notifyPhase.approvalReads, 'reads'),
      round(mean(notifyPhase.invocations), 2),
      '1 read per notify invocation',
      null,
    ),
  ];
  const capacityFromDynalite = lifecycles.some((one) => one.all.wcu + one.all.rcu > 0);
  return {
    part: 'dynamo',
    seconds: (performance.now() - started) / 1000,
    rows,
    notes: [
      `DynamoDB: ${lifecycles.length} lifecycles (${LIFECYCLES_PER_SOURCE} per source), each approved by one REST decision; ` +
        `table capacity from dynalite's ConsumedCapacity (${capacityFromDynalite ? 'returned' : 'NOT returned'} with ReturnConsumedCapacity: TOTAL), ` +
        'index writes computed by the proxy from item sizes (dynalite charges none).',
    ],
    details: {
      decisionStatuses: statuses,
      perLifecycleAverage: {
        capture: Object.fromEntries(
          Object.keys(capture[0] ?? {}).map((key) => [key, average(capture, key as keyof Tally)]),
        ),
        decide: Object.fromEntries(
          Object.keys(decide[0] ?? {}).map((key) => [key, average(decide, key as keyof Tally)]),
        ),
        notifyDelivery: Object.fromEntries(
          Object.keys(notifyPhase.delivery[0] ?? {}).map((key) => [
            key,
            average(notifyPhase.delivery, key as keyof Tally),
          ]),
        ),
        notifyApprovalItem: Object.fromEntries(
          Object.keys(notifyPhase.approvalReads[0] ?? {}).map((key) => [
            key,
            average(notifyPhase.approvalReads, key as keyof Tally),
          ]),
        ),
        notifyInvocations: round(mean(notifyPhase.invocations), 2),
      },
      baselines: {
        capture: Object.fromEntries(
          Object.keys(bare.capture[0] ?? {}).map((key) => [key, average(bare.capture, key as keyof Tally)]),
        ),
        decide: Object.fromEntries(
          Object.keys(bare.decide[0] ?? {}).map((key) => [key, average(bare.decide, key as keyof Tally)]),
        ),
        bookkeeping: Object.fromEntries(
          Object.keys(bare.bookkeeping[0] ?? {}).map((key) => [key, average(bare.bookkeeping, key as keyof Tally)]),
        ),
      },
      bySource: Object.fromEntries(
        SOURCES.map((source) => {
          const mine = lifecycles.filter((one) => one.source === source);
          return [
            source,
            {
              capture: {
                writes: average(
                  mine.map((one) => one.capture),
                  'writes',
                ),
                cu: cu(mine.map((one) => one.capture)),
              },
              decide: {
                writes: average(
                  mine.map((one) => one.decide),
                  'writes',
                ),
                reads: average(
                  mine.map((one) => one.decide),
                  'reads',
                ),
                cu: cu(mine.map((one) => one.decide)),
              },
              notify: { requests: count(mine.map((one) => one.notify)), cu: cu(mine.map((one) => one.notify)) },
            },
          ];
        }),
      ),
      operations: Object.entries(
        proxy.records.reduce<Record<string, number>>((counts, record) => {
          const key =
            `${record.phase.replace(/:\d+$/, '')} ${record.operation} ${record.item ?? record.index ?? ''}`.trim();
          counts[key] = (counts[key] ?? 0) + 1;
          return counts;
        }, {}),
      ).sort(),
    },
  };
}
