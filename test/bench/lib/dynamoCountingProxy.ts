/**
 * A counting HTTP proxy in front of dynalite. Every DynamoDB request the functions make passes through it: it records
 * the operation, which item it touched (by sort key: `APPROVAL`, `DELIVERY`, …) or which index it queried, asks
 * DynamoDB for `ReturnConsumedCapacity: TOTAL` and keeps what comes back (`ConsumedCapacity`, `ScannedCount`, `Count`).
 *
 * dynalite reports capacity for the table only (from item sizes, DynamoDB's rules: writes 1 KB units, the larger of
 * the old and new item; reads 4 KB units, half for eventually consistent). It never charges for global secondary
 * index maintenance, so the proxy computes those writes itself from the documented rules ("Provisioned throughput
 * considerations for global secondary indexes", DynamoDB developer guide): an item entering an index costs one write
 * of the index entry's size, an update that keeps the index key one write, one that changes the key two (delete +
 * put), an item leaving the index one write. It keeps a shadow copy of every item it saw written to know the old
 * state (all writes go through it, so the shadow is complete for tables created after it started).
 * A write refused by its condition still consumes write capacity on DynamoDB; dynalite reports none, so the proxy
 * charges it from the item size as DynamoDB does.
 */
import { once } from 'node:events';
import { Agent, createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from '../../../infra/local/localDynamo';
import { loadApprovalsTableDefinition } from '../../../infra/tableDefinition';

type Item = Record<string, AttributeValue>;

export interface DynamoRequestRecord {
  phase: string;
  operation: string;
  table?: string;
  index?: string;
  /** The touched item's sort key (`APPROVAL`, `DELIVERY`, …); absent for queries and scans. */
  item?: string;
  write: boolean;
  status: number;
  errorType?: string;
  /** Table capacity units: dynalite's ConsumedCapacity, or computed for a write refused by its condition. */
  capacityUnits: number;
  /** Write units for global secondary index maintenance, computed by the proxy. */
  indexWriteUnits: number;
  scannedCount?: number;
  count?: number;
}

const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const CAPACITY_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

/** Item size per DynamoDB's documented rules ("Item sizes and formats"): names + values, 3 bytes per list/map. */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) {
    // On the wire (JSON protocol) binary values are base64 strings.
    const binary = value.B as unknown as string | Uint8Array;
    return typeof binary === 'string' ? Buffer.from(binary, 'base64').length : binary.length;
  }
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, element) => sum + 1 + valueSize(element), 0);
  if (value.M !== undefined) return 3 + Object.keys(value.M).length + itemSize(value.M);
  return 0;
}

/** "Numbers are variable length, with up to 38 significant digits": about one byte per two digits, plus one. */
function numberSize(text: string): number {
  const digits = text.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

const writeUnits = (...items: Array<Item | undefined>) =>
  Math.max(1, ...items.map((item) => (item ? Math.ceil(itemSize(item) / 1024) : 1)));

interface IndexKeys {
  name: string;
  keys: string[];
}

export class DynamoCountingProxy {
  /** Requests are recorded under the current phase; `null` records nothing. */
  phase: string | null = null;
  readonly records: DynamoRequestRecord[] = [];
  private readonly shadow = new Map<string, Item>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly direct: DynamoDBClient;
  private readonly target: URL;
  private server = createServer((request, response) => {
    this.forward(request).then(
      ({ status, headers, body }) => {
        response.writeHead(status, headers);
        response.end(body);
      },
      (error: unknown) => {
        response.writeHead(502, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ __type: 'BenchProxyError', message: String(error) }));
      },
    );
  });
  url = '';

  constructor(
    targetEndpoint: string,
    private readonly tableKeys: string[] = ['pk', 'sk'],
    private readonly indexes: IndexKeys[] = approvalsTableIndexes(),
  ) {
    this.target = new URL(targetEndpoint);
    this.direct = new DynamoDBClient({ endpoint: targetEndpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
    this.direct.destroy();
  }

  /** The records of one phase. */
  recordsOf(phase: string): DynamoRequestRecord[] {
    return this.records.filter((record) => record.phase === phase);
  }

  private async forward(request: IncomingMessage) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.slice(target.indexOf('.') + 1);
    const phase = this.phase;
    let input: Record<string, unknown> | undefined;
    // Writes are always read (the shadow must see every one); the rest only while a phase is being recorded.
    if ((phase !== null && CAPACITY_OPERATIONS.has(operation)) || WRITE_OPERATIONS.has(operation)) {
      input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    }
    if (input && phase !== null) {
      if (input.ReturnConsumedCapacity === undefined || input.ReturnConsumedCapacity === 'NONE') {
        input.ReturnConsumedCapacity = 'TOTAL';
        body = Buffer.from(JSON.stringify(input));
      }
    }
    const headers = { ...request.headers, 'content-length': String(body.length) };
    const reply = await new Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }>(
      (resolve, reject) => {
        const outgoing = httpRequest(
          {
            host: this.target.hostname,
            port: this.target.port,
            method: request.method,
            path: request.url,
            headers,
            agent: this.agent,
          },
          (response) => {
            const parts: Buffer[] = [];
            response.on('data', (part: Buffer) => parts.push(part));
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 500,
                headers: response.headers as Record<string, string | string[]>,
                body: Buffer.concat(parts),
              }),
            );
            response.on('error', reject);
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      },
    );
    if (input) await this.record(phase, operation, input, reply.status, reply.body);
    return reply;
  }

  private keyString(table: string, key: Item): string {
    return `${table}|${this.tableKeys.map((name) => JSON.stringify(key[name] ?? null)).join('|')}`;
  }

  private keyOf(item: Item): Item {
    return Object.fromEntries(
      this.tableKeys.filter((name) => item[name]).map((name) => [name, item[name] as AttributeValue]),
    );
  }

  /** Index write units for one item going from `before` to `after` (either may be absent). */
  private indexWriteUnits(before: Item | undefined, after: Item | undefined): number {
    let units = 0;
    for (const index of this.indexes) {
      const inBefore = before !== undefined && index.keys.every((name) => before[name] !== undefined);
      const inAfter = after !== undefined && index.keys.every((name) => after[name] !== undefined);
      if (inBefore && inAfter) {
        const sameKey = index.keys.every((name) => JSON.stringify(before?.[name]) === JSON.stringify(after?.[name]));
        if (JSON.stringify(before) === JSON.stringify(after)) continue;
        units += sameKey ? writeUnits(before, after) : writeUnits(before) + writeUnits(after);
      } else if (inBefore) {
        units += writeUnits(before);
      } else if (inAfter) {
        units += writeUnits(after);
      }
    }
    return units;
  }

  /** Keeps the shadow up to date for every write; adds a record only while a phase is set. */
  private async record(
    phase: string | null,
    operation: string,
    input: Record<string, unknown>,
    status: number,
    replyBody: Buffer,
  ): Promise<void> {
    const output = JSON.parse(replyBody.toString('utf8') || '{}') as Record<string, unknown>;
    const table = typeof input.TableName === 'string' ? input.TableName : undefined;
    const key = (input.Key ?? input.Item) as Item | undefined;
    const consumed = output.ConsumedCapacity as
      | { CapacityUnits?: number }
      | Array<{ CapacityUnits?: number }>
      | undefined;
    const consumedUnits = Array.isArray(consumed)
      ? consumed.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0)
      : (consumed?.CapacityUnits ?? 0);
    const record: DynamoRequestRecord = {
      phase: phase ?? '',
      operation,
      ...(table ? { table } : {}),
      ...(typeof input.IndexName === 'string' ? { index: input.IndexName } : {}),
      ...(key?.sk?.S ? { item: key.sk.S } : {}),
      write: WRITE_OPERATIONS.has(operation),
      status,
      capacityUnits: consumedUnits,
      indexWriteUnits: 0,
      ...(typeof output.ScannedCount === 'number' ? { scannedCount: output.ScannedCount } : {}),
      ...(typeof output.Count === 'number' ? { count: output.Count } : {}),
    };
    if (status !== 200) record.errorType = String(output.__type ?? '').replace(/^.*#/, '');

    if (table && key && (operation === 'PutItem' || operation === 'UpdateItem' || operation === 'DeleteItem')) {
      const shadowKey = this.keyString(table, this.keyOf(key));
      const before = this.shadow.get(shadowKey);
      if (status === 200) {
        let after: Item | undefined;
        if (operation === 'PutItem') after = input.Item as Item;
        else if (operation === 'UpdateItem') after = await this.readDirect(table, this.keyOf(key));
        record.indexWriteUnits = this.indexWriteUnits(before, after);
        if (after) this.shadow.set(shadowKey, after);
        else this.shadow.delete(shadowKey);
      } else if (record.errorType === 'ConditionalCheckFailedException') {
        // DynamoDB charges a refused conditional write as if it had been made (dynalite charges nothing).
        record.capacityUnits = writeUnits(before, operation === 'PutItem' ? (input.Item as Item) : undefined);
      }
    }
    if (phase !== null) this.records.push(record);
  }

  private async readDirect(table: string, key: Item): Promise<Item | undefined> {
    const { Item } = await this.direct.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
    return Item;
  }
}

/** The global secondary indexes of the approvals table (infra/table.yml) and their key attributes. */
export function approvalsTableIndexes(): IndexKeys[] {
  const definition = loadApprovalsTableDefinition('bench');
  return (definition.GlobalSecondaryIndexes ?? []).map((index) => ({
    name: index.IndexName ?? '',
    keys: (index.KeySchema ?? []).map((key) => key.AttributeName ?? ''),
  }));
}
