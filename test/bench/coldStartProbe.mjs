// Cold start probe, run by test/bench/parts/bundles.ts in a fresh `node` process per sample:
//   node coldStartProbe.mjs <bundle.mjs> <event.json> <result.json> <function name>
// Times the import of the bundled handler and its first invocation (what a Lambda cold start adds to Node's own
// start-up), and writes {importMs, invokeMs, totalMs, outcome} to <result.json>.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [bundlePath, eventPath, resultPath, functionName = 'probe'] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventPath, 'utf8'));
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: `greenlight-local-${functionName}`,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:greenlight-local-${functionName}`,
  memoryLimitInMB: '256',
  awsRequestId: randomUUID(),
  logGroupName: `/aws/lambda/greenlight-local-${functionName}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

const started = performance.now();
const module = await import(pathToFileURL(bundlePath).href);
const imported = performance.now();
let outcome;
try {
  const result = await module.handler(event, context);
  outcome = result && typeof result === 'object' && 'statusCode' in result ? `HTTP ${result.statusCode}` : 'ok';
} catch (error) {
  outcome = `threw ${error?.name ?? 'error'}: ${String(error?.message ?? '').slice(0, 200)}`;
}
const invoked = performance.now();
writeFileSync(
  resultPath,
  JSON.stringify({ importMs: imported - started, invokeMs: invoked - imported, totalMs: invoked - started, outcome }),
);
process.exit(0);
