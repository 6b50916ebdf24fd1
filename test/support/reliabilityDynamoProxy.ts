/**
 * A fault-injecting HTTP proxy in front of dynalite, at the wire level: the unmodified DynamoDB SDK client talks to
 * it (point a client's `endpoint`, or `AWS_ENDPOINT_URL_DYNAMODB`, at `url`), and it forwards every request as it is,
 * except the ones it was told to fail:
 *
 * - `throttle`: HTTP 400 with DynamoDB's awsJson1_0 error body
 *   `{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"…"}` — the SDK's
 *   JSON-RPC error parser (`loadJsonRpcErrorCode` in @smithy/core/protocols: `__type`, cut after `#` and before `:`)
 *   turns it into `ProvisionedThroughputExceededException`, which the standard retry strategy treats as throttling.
 *   Nothing reaches dynalite.
 * - `server-error`: HTTP 500 `com.amazonaws.dynamodb.v20120810#InternalServerError`; nothing reaches dynalite.
 * - `drop-after-apply`: the request is forwarded and applied, then the connection is closed without an answer (the
 *   write happened, the reply was lost).
 *
 * The operation is the `X-Amz-Target` header (`DynamoDB_20120810.PutItem` → `PutItem`).
 */
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type DynamoFault = 'throttle' | 'server-error' | 'drop-after-apply';

export const DYNAMODB_THROTTLING_ERROR = {
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message:
    'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
};
export const DYNAMODB_SERVER_ERROR = {
  __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
  message: 'Internal server error',
};

export const DYNAMODB_WRITE_OPERATIONS = [
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
];

interface QueuedFault {
  fault: DynamoFault;
  operations?: readonly string[];
  remaining: number;
}

interface RandomFaults {
  rate: number;
  /** Weighted choice of the fault kind; default: throttle only. */
  faults: ReadonlyArray<{ fault: DynamoFault; weight: number }>;
  operations?: readonly string[];
  next: () => number;
}

export interface DynamoProxyStats {
  /** Requests seen, by operation. */
  requests: Record<string, number>;
  /** Requests dynalite carried out (answered 2xx), by operation: a refused conditional write is seen, not applied. */
  applied: Record<string, number>;
  /** Faults applied, by kind. */
  injected: Record<DynamoFault, number>;
}

export interface DynamoFaultProxy {
  url: string;
  stats: DynamoProxyStats;
  /** The next `times` (default 1) requests of these operations (default any) get `fault`. */
  failNext(fault: DynamoFault, options?: { times?: number; operations?: readonly string[] }): void;
  /** Until cleared, each request of these operations gets a fault with probability `rate` (seeded, reproducible). */
  failRandomly(options: {
    rate: number;
    seed: number;
    operations?: readonly string[];
    faults?: ReadonlyArray<{ fault: DynamoFault; weight: number }>;
  }): void;
  clear(): void;
  /** Requests of these operations seen so far (e.g. writes, to count the SDK's attempts). */
  count(operations: readonly string[]): number;
  /**
   * Requests of these operations dynalite carried out so far (e.g. writes, to prove nothing was written: a
   * conditional write whose condition failed changes nothing, and is not counted).
   */
  countApplied(operations: readonly string[]): number;
  totalInjected(): number;
  close(): Promise<void>;
}

/** mulberry32: a tiny seeded PRNG, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function operationOf(request: IncomingMessage): string {
  const target = request.headers['x-amz-target'];
  const value = Array.isArray(target) ? target[0] : target;
  return value?.split('.').pop() ?? 'unknown';
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function answerError(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-requestid': `proxy-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function forward(
  target: URL,
  request: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (reply) => {
        readAll(reply).then(
          (replyBody) => resolve({ status: reply.statusCode ?? 502, headers: reply.headers, body: replyBody }),
          reject,
        );
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

export async function startDynamoFaultProxy(targetEndpoint: string): Promise<DynamoFaultProxy> {
  const target = new URL(targetEndpoint);
  let queue: QueuedFault[] = [];
  let random: RandomFaults | undefined;
  const stats: DynamoProxyStats = {
    requests: {},
    applied: {},
    injected: { throttle: 0, 'server-error': 0, 'drop-after-apply': 0 },
  };

  const matches = (operations: readonly string[] | undefined, operation: string) =>
    operations === undefined || operations.includes(operation);

  function faultFor(operation: string): DynamoFault | undefined {
    const queued = queue.find((entry) => matches(entry.operations, operation));
    if (queued) {
      queued.remaining -= 1;
      if (queued.remaining <= 0) queue = queue.filter((entry) => entry !== queued);
      return queued.fault;
    }
    if (random && matches(random.operations, operation) && random.next() < random.rate) {
      const total = random.faults.reduce((sum, entry) => sum + entry.weight, 0);
      let pick = random.next() * total;
      for (const entry of random.faults) {
        pick -= entry.weight;
        if (pick <= 0) return entry.fault;
      }
      return random.faults.at(-1)?.fault;
    }
    return undefined;
  }

  const server = createServer((request, response) => {
    void (async () => {
      const body = await readAll(request);
      const operation = operationOf(request);
      stats.requests[operation] = (stats.requests[operation] ?? 0) + 1;
      const fault = faultFor(operation);
      if (fault) stats.injected[fault] += 1;
      if (fault === 'throttle') return answerError(response, 400, DYNAMODB_THROTTLING_ERROR);
      if (fault === 'server-error') return answerError(response, 500, DYNAMODB_SERVER_ERROR);
      const reply = await forward(target, request, body);
      if (reply.status >= 200 && reply.status < 300) stats.applied[operation] = (stats.applied[operation] ?? 0) + 1;
      if (fault === 'drop-after-apply') {
        request.socket.destroy();
        return;
      }
      response.writeHead(reply.status, reply.headers);
      response.end(reply.body);
    })().catch(() => {
      if (!response.headersSent) answerError(response, 500, DYNAMODB_SERVER_ERROR);
      else response.destroy();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    failNext(fault, options = {}) {
      queue.push({
        fault,
        remaining: options.times ?? 1,
        ...(options.operations ? { operations: options.operations } : {}),
      });
    },
    failRandomly(options) {
      random = {
        rate: options.rate,
        faults: options.faults ?? [{ fault: 'throttle', weight: 1 }],
        ...(options.operations ? { operations: options.operations } : {}),
        next: seeded(options.seed),
      };
    },
    clear() {
      queue = [];
      random = undefined;
    },
    count: (operations) => operations.reduce((sum, operation) => sum + (stats.requests[operation] ?? 0), 0),
    countApplied: (operations) => operations.reduce((sum, operation) => sum + (stats.applied[operation] ?? 0), 0),
    totalInjected: () => Object.values(stats.injected).reduce((sum, value) => sum + value, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
