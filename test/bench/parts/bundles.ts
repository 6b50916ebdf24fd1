/**
 * Part 2 — per-function bundle size and cold start.
 *
 * Size: the minified handler (`functions/<name>.mjs`) inside each zip `osls package` writes (serverless-esbuild with
 * serverless.yml's custom.esbuild), against a bundle built by esbuild with the same options from a tiny entry that
 * holds only the AWS SDK clients that function bundles (found in its esbuild metafile) and makes one call with each.
 * Cold start: a fresh `node` per sample (NODE_OPTIONS from serverless.yml, as on Lambda) imports the bundle and
 * invokes it once with a representative event against this process's local stack; median of 10, full and baseline
 * interleaved. And what `--enable-source-maps` would add (restApi with and without it, interleaved): serverless.yml
 * leaves it out on these numbers.
 */

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { toApiGatewayEvent } from '../../../infra/local/apiGatewayEvent';
import { loadHttpApiRoutes, matchHttpApiRoute } from '../../../infra/local/httpApiRoutes';
import { LOCAL_ACCOUNT, LOCAL_REGION, SSO_SESSION_KEYS_PARAMETER } from '../../../infra/local/localStack';
import { parseCloudFormationYaml } from '../../../infra/tableDefinition';
import { signRestRequest } from '../../../shared/channels/restSignature';
import { signSlackRequest } from '../../../shared/channels/slackSignature';
import { SESSION_COOKIE, type SsoSessionKeys, sealSession } from '../../../shared/channels/ssoSession';
import { toPublicApproval } from '../../../shared/domain/approval';
import { sampleEvent } from '../../support/fixtures';
import { readZipEntries } from '../../support/readZipEntries';
import { type BenchStack, startBenchStack } from '../lib/benchStack';
import { type PartResult, type Row, ratioRow } from '../lib/results';
import { median, progress, round } from '../lib/stats';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RESULTS = join(ROOT, 'test/bench/results');
const WORK = join(RESULTS, 'build');
const PROBE = fileURLToPath(new URL('../coldStartProbe.mjs', import.meta.url));
const COLD_STARTS = 10;
/** The function whose cold start is measured with and without source maps loaded. */
const SOURCE_MAP_PROBE = 'restApi';
const MAX_RATIO = 1.25;

/** serverless-esbuild's own options, removed before it calls esbuild (serverless-esbuild/dist/bundle.js). */
const PLUGIN_OPTIONS = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
];

interface ServerlessConfig {
  custom: { esbuild: Record<string, unknown> };
  provider: { environment?: Record<string, unknown> };
  functions: Record<string, { handler: string }>;
}

function readServerlessConfig(): ServerlessConfig {
  return parseCloudFormationYaml(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as ServerlessConfig;
}

/** The esbuild options serverless-esbuild derives from custom.esbuild (its defaults are overridden by every key). */
function esbuildOptionsOf(config: ServerlessConfig): BuildOptions {
  const custom = config.custom.esbuild;
  const options: Record<string, unknown> = Object.fromEntries(
    Object.entries(custom).filter(([key]) => !PLUGIN_OPTIONS.includes(key)),
  );
  const exclude = (custom.exclude as string[] | undefined) ?? ['aws-sdk'];
  options.external = [...((custom.external as string[] | undefined) ?? []), ...(exclude.includes('*') ? [] : exclude)];
  const extension = custom.outputFileExtension as string | undefined;
  if (extension && extension !== '.js') options.outExtension = { '.js': extension };
  // serverless-esbuild takes `plugins` as the path of a file exporting the plugins array.
  if (typeof custom.plugins === 'string') options.plugins = createRequire(import.meta.url)(join(ROOT, custom.plugins));
  return { ...(options as BuildOptions), logLevel: 'silent' };
}

/** `osls package` into a folder of our own (and its own esbuild scratch folder), as `npm run package` runs it. */
function oslsPackage(outDir: string): { ok: boolean; seconds: number; output: string } {
  const started = performance.now();
  const result = spawnSync(join(ROOT, 'node_modules/.bin/osls'), ['package', '--stage', 'dev', '--package', outDir], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 180_000,
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: 'AKIAFAKE',
      AWS_SECRET_ACCESS_KEY: 'fake',
      AWS_REGION: 'us-east-1',
      // serverless-esbuild joins this to the service folder: an absolute path would be re-rooted inside the checkout
      // (the empty `work/main/test/bench/results/build` tree the bench used to leave behind).
      GREENLIGHT_ESBUILD_WORK_FOLDER: relative(ROOT, join(WORK, 'esbuild-work')),
    },
  });
  return {
    ok: result.status === 0,
    seconds: (performance.now() - started) / 1000,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().slice(-2000),
  };
}

const SDK_PACKAGE = /node_modules\/(@aws-sdk\/(?:client-[a-z0-9-]+|lib-dynamodb))\//;

/** One call per SDK client, against the local stack's endpoints; errors from the stand-ins are fine (a round trip). */
const CLIENT_PROBES: Record<string, { imports: string; client: string; call: string }> = {
  '@aws-sdk/client-dynamodb': {
    imports: "import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';",
    client: 'const dynamodb = new DynamoDBClient({});',
    call: "dynamodb.send(new GetItemCommand({ TableName: process.env.APPROVALS_TABLE_NAME, Key: { pk: { S: 'APPROVAL#apr_bench' }, sk: { S: 'APPROVAL' } }, ConsistentRead: true }))",
  },
  '@aws-sdk/lib-dynamodb': {
    imports:
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';",
    client: 'const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
    call: "documents.send(new GetCommand({ TableName: process.env.APPROVALS_TABLE_NAME, Key: { pk: 'APPROVAL#apr_bench', sk: 'APPROVAL' }, ConsistentRead: true }))",
  },
  '@aws-sdk/client-sfn': {
    imports: "import { SFNClient, SendTaskHeartbeatCommand } from '@aws-sdk/client-sfn';",
    client: 'const sfn = new SFNClient({});',
    call: "sfn.send(new SendTaskHeartbeatCommand({ taskToken: 'bench-probe-token' }))",
  },
  '@aws-sdk/client-ssm': {
    imports: "import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';",
    client: 'const ssm = new SSMClient({});',
    call: "ssm.send(new GetParameterCommand({ Name: process.env.REST_CLIENT_SECRETS_PREFIX + 'release-bot', WithDecryption: true }))",
  },
  '@aws-sdk/client-eventbridge': {
    imports: "import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';",
    client: 'const eventBridge = new EventBridgeClient({});',
    call: "eventBridge.send(new PutEventsCommand({ Entries: [{ EventBusName: process.env.EVENT_BUS_NAME, Source: 'greenlight.bench', DetailType: 'Bench Probe', Detail: '{}' }] }))",
  },
  '@aws-sdk/client-imagebuilder': {
    imports: "import { ImagebuilderClient, GetWorkflowStepExecutionCommand } from '@aws-sdk/client-imagebuilder';",
    client: 'const imagebuilder = new ImagebuilderClient({});',
    call: "imagebuilder.send(new GetWorkflowStepExecutionCommand({ stepExecutionId: 'step-0123456789abcdef0' }))",
  },
  '@aws-sdk/client-lambda': {
    imports: "import { LambdaClient, GetDurableExecutionCommand } from '@aws-sdk/client-lambda';",
    client: 'const lambda = new LambdaClient({});',
    call: "lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: 'arn:aws:lambda:us-east-1:111122223333:function:bench:1/durable-execution/bench/bench' }))",
  },
  '@aws-sdk/client-sesv2': {
    imports: "import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';",
    client: 'const ses = new SESv2Client({});',
    call: "ses.send(new SendEmailCommand({ FromEmailAddress: process.env.EMAIL_FROM_ADDRESS, Destination: { ToAddresses: ['bench@example.com'] }, Content: { Simple: { Subject: { Data: 'bench' }, Body: { Text: { Data: 'bench' } } } } }))",
  },
};

/** The tiny entry for a baseline bundle: the clients, created at module load, and one call each per invocation. */
function baselineEntry(packages: string[]): { source: string; probed: string[] } {
  const probed = packages.includes('@aws-sdk/lib-dynamodb')
    ? packages.filter((name) => name !== '@aws-sdk/client-dynamodb')
    : packages;
  const probes = probed.flatMap((name) => (CLIENT_PROBES[name] ? [CLIENT_PROBES[name]] : []));
  const source = [
    ...probes.map((probe) => probe.imports),
    ...probes.map((probe) => probe.client),
    'export const handler = async () => {',
    '  const outcomes = [];',
    ...probes.map(
      (probe) => `  try { await ${probe.call}; outcomes.push('ok'); } catch (error) { outcomes.push(error.name); }`,
    ),
    '  return outcomes;',
    '};',
  ].join('\n');
  return { source, probed: probes.length === probed.length ? probed : probed.filter((name) => CLIENT_PROBES[name]) };
}

interface FunctionBundle {
  name: string;
  bundlePath: string;
  bytes: number;
  mapBytes: number;
  zipBytes?: number;
  sdkPackages: string[];
  baselinePath: string;
  baselineBytes: number;
  baselineSource: string;
  /** KiB of the minified output by package (own code = `greenlight`), largest first. */
  composition: Array<[string, number]>;
}

/** What the minified output is made of, by npm package, from esbuild's metafile. */
function bundleComposition(metafile: Metafile): Array<[string, number]> {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      // zod's ~40 message locales are worth seeing on their own.
      const name =
        input.includes('node_modules/zod/') && input.includes('/locales/')
          ? 'zod (locales)'
          : (match?.[1] ?? 'greenlight');
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes].map(([name, size]): [string, number] => [name, round(size / 1024, 1)]).sort((a, b) => b[1] - a[1]);
}

async function buildBundles(config: ServerlessConfig, notes: string[]): Promise<FunctionBundle[]> {
  const options = esbuildOptionsOf(config);
  const packageDir = join(WORK, 'package');
  progress('bundles: osls package (serverless-esbuild, custom.esbuild from serverless.yml)');
  const packaged = oslsPackage(packageDir);
  if (!packaged.ok) {
    notes.push(
      `osls package failed (${packaged.output.split('\n').slice(-3).join(' ')}); sizes come from esbuild run directly with the same options.`,
    );
  }
  const bundles: FunctionBundle[] = [];
  for (const [name, fn] of Object.entries(config.functions)) {
    const entry = `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`;
    if (!existsSync(join(ROOT, entry))) {
      notes.push(`${name}: ${entry} does not exist; skipped.`);
      continue;
    }
    // Built directly as well, with a metafile: which SDK packages the function bundles.
    const directDir = join(WORK, 'direct', name);
    const direct = await build({
      ...options,
      absWorkingDir: ROOT,
      entryPoints: [entry],
      outdir: join(directDir, dirname(entry)),
      metafile: true,
    });
    const sdkPackages = [
      ...new Set(
        Object.keys(direct.metafile.inputs).flatMap((input) => {
          const match = SDK_PACKAGE.exec(input);
          return match?.[1] ? [match[1]] : [];
        }),
      ),
    ].sort();
    const composition = bundleComposition(direct.metafile);
    const mjsName = entry.replace(/\.ts$/, (options.outExtension?.['.js'] as string | undefined) ?? '.js');
    let bundlePath = join(directDir, mjsName);
    let zipBytes: number | undefined;
    const zipPath = join(packageDir, `${name}.zip`);
    if (packaged.ok && existsSync(zipPath)) {
      const zip = readFileSync(zipPath);
      zipBytes = zip.length;
      const entries = readZipEntries(zip);
      const extracted = join(WORK, 'packaged', name);
      for (const [file, data] of entries) {
        mkdirSync(dirname(join(extracted, file)), { recursive: true });
        writeFileSync(join(extracted, file), data);
      }
      if (!entries.has(mjsName)) throw new Error(`${zipPath} holds no ${mjsName}: ${[...entries.keys()].join(', ')}`);
      bundlePath = join(extracted, mjsName);
    }
    const { source } = baselineEntry(sdkPackages);
    const baselinePath = join(WORK, 'baseline', name, `baseline-${name}.mjs`);
    await build({
      ...options,
      absWorkingDir: ROOT,
      stdin: { contents: source, resolveDir: ROOT, sourcefile: `baseline-${name}.js`, loader: 'js' },
      outfile: baselinePath,
    });
    bundles.push({
      name,
      bundlePath,
      bytes: statSync(bundlePath).size,
      mapBytes: existsSync(`${bundlePath}.map`) ? statSync(`${bundlePath}.map`).size : 0,
      ...(zipBytes === undefined ? {} : { zipBytes }),
      sdkPackages,
      baselinePath,
      baselineBytes: statSync(baselinePath).size,
      baselineSource: source,
      composition,
    });
  }
  return bundles;
}

// ---- representative first events, one fresh approval (or waiting workflow) per sample ----

type EventMaker = (bench: BenchStack) => Promise<unknown>;

const routes = loadHttpApiRoutes(join(ROOT, 'serverless.yml'));

function apiEvent(bench: BenchStack, method: string, url: string, headers: Record<string, string>, body = '') {
  const path = url.split('?')[0] ?? url;
  const match = matchHttpApiRoute(routes, method, path);
  if (!match) throw new Error(`no route for ${method} ${path}`);
  const host = new URL(bench.stack.httpUrl).host;
  return toApiGatewayEvent(
    {
      method,
      url,
      headers: { host, 'user-agent': 'greenlight-bench', ...headers },
      body: Buffer.from(body),
      sourceIp: '127.0.0.1',
    },
    match.route,
    match.pathParameters,
  );
}

function envelope(source: string, detailType: string, detail: unknown) {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': detailType,
    source,
    account: LOCAL_ACCOUNT,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [],
    detail,
  };
}

const EVENT_MAKERS: Record<string, EventMaker> = {
  capture: async ({ stack }) => {
    const execution = stack.standins.stepFunctions.startWaitingExecution({ stateMachineName: 'deploy' });
    const event = sampleEvent('stepfunctions/approval-requested');
    event.resources = [execution.executionArn, execution.stateMachineArn];
    event.detail.taskToken = execution.taskToken;
    event.detail.approvers = ['email:alice@example.com', 'email:carol@example.com'];
    return event;
  },
  restApi: async (bench) => {
    const { approvalId } = await bench.harness.openWaiting('stepfunctions');
    const path = `/v1/approvals/${approvalId}/decision`;
    const body = JSON.stringify({ decision: 'approve', approver: 'email:alice@example.com' });
    const signature = signRestRequest(bench.stack.restClient(), {
      method: 'POST',
      pathWithQuery: path,
      body,
      timestamp: Math.floor(Date.now() / 1000),
    });
    return apiEvent(
      bench,
      'POST',
      path,
      { 'content-type': 'application/json', 'x-greenlight-signature': signature },
      body,
    );
  },
  reviewPages: async (bench) => {
    const { approvalId } = await bench.harness.openWaiting('stepfunctions');
    const link = new URL(bench.stack.reviewLink(approvalId, 'email:alice@example.com'));
    return apiEvent(bench, 'GET', `${link.pathname}${link.search}`, { accept: 'text/html' });
  },
  inbox: async (bench) => {
    // Alice's inbox, signed in: a session cookie sealed with the stack's keys, as the sign-in callback sets it.
    await bench.harness.openWaiting('stepfunctions');
    const keys = JSON.parse(
      bench.stack.standins.ssm.parameterValue(SSO_SESSION_KEYS_PARAMETER) ?? '',
    ) as SsoSessionKeys;
    const { value } = await sealSession(keys, 'email:alice@example.com', new Date());
    return apiEvent(bench, 'GET', '/inbox', { accept: 'text/html', cookie: `${SESSION_COOKIE}=${value}` });
  },
  decisionEvents: async (bench) => {
    const { approvalId } = await bench.harness.openWaiting('stepfunctions');
    return envelope('com.example.release-bot', 'Approval Decision', {
      approvalId,
      decision: 'approve',
      approver: 'email:alice@example.com',
    });
  },
  slackInteractions: async (bench) => {
    // Its Slack message must exist, as it would: notify runs for this capture.
    bench.notify.mode = 'inline';
    const { approvalId } = await bench.harness.openWaiting('stepfunctions');
    bench.notify.mode = 'drop';
    const message = bench.harness.slackMessageOf(approvalId);
    const payload = {
      type: 'block_actions',
      team: { id: bench.stack.slackTeamId },
      api_app_id: bench.stack.slackAppId,
      user: { id: 'U024BE7LH' },
      trigger_id: crypto.randomUUID(),
      channel: { id: message?.channel ?? '#approvals' },
      message: { ts: message?.ts },
      actions: [{ type: 'button', action_id: 'greenlight.approve', value: approvalId }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    return apiEvent(
      bench,
      'POST',
      '/slack/interactions',
      {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signSlackRequest(bench.stack.slackSigningSecret, timestamp, body),
      },
      body,
    );
  },
  notify: async (bench) => {
    const { approvalId } = await bench.harness.openWaiting('stepfunctions');
    const approval = await bench.stack.store.get(approvalId);
    if (!approval) throw new Error(`approval ${approvalId} not stored`);
    return envelope('greenlight', 'Approval Opened', { approvalId, approval: toPublicApproval(approval) });
  },
  lifecycle: async () => ({
    ...envelope('aws.events', 'Scheduled Event', {}),
    resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/greenlight-local-lifecycle-sweep`],
  }),
};

interface ProbeResult {
  importMs: number;
  invokeMs: number;
  totalMs: number;
  outcome: string;
}

function runProbe(
  bundlePath: string,
  event: unknown,
  name: string,
  env: NodeJS.ProcessEnv,
  sample: string,
): Promise<ProbeResult> {
  const dir = join(WORK, 'probes');
  mkdirSync(dir, { recursive: true });
  const eventPath = join(dir, `${sample}.event.json`);
  const resultPath = join(dir, `${sample}.result.json`);
  writeFileSync(eventPath, JSON.stringify(event));
  rmSync(resultPath, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PROBE, bundlePath, eventPath, resultPath, name], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0 || !existsSync(resultPath)) {
        reject(new Error(`cold start probe of ${name} exited ${code}: ${stderr.slice(-1000)}`));
        return;
      }
      resolve(JSON.parse(readFileSync(resultPath, 'utf8')) as ProbeResult);
    });
  });
}

export async function bundles(): Promise<PartResult> {
  const started = performance.now();
  const notes: string[] = [];
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const config = readServerlessConfig();
  const built = await buildBundles(config, notes);

  const bench = await startBenchStack({ notify: 'drop' });
  const nodeOptions = String(config.provider.environment?.NODE_OPTIONS ?? '');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: String(config.provider.environment?.LOG_LEVEL ?? 'INFO'),
    NODE_OPTIONS: nodeOptions,
  };
  const coldStarts: Record<string, { full: ProbeResult[]; baseline: ProbeResult[] }> = {};
  const sourceMapSamples = { with: [] as ProbeResult[], without: [] as ProbeResult[] };
  try {
    for (const bundle of built) {
      const makeEvent = EVENT_MAKERS[bundle.name];
      if (!makeEvent) {
        notes.push(`${bundle.name}: no representative event known to the benchmark; cold start not measured.`);
        continue;
      }
      progress(`bundles: cold starts of ${bundle.name} (${COLD_STARTS} × function, ${COLD_STARTS} × baseline)`);
      const samples = { full: [] as ProbeResult[], baseline: [] as ProbeResult[] };
      for (let i = 0; i < COLD_STARTS; i++) {
        const order = i % 2 === 0 ? (['full', 'baseline'] as const) : (['baseline', 'full'] as const);
        for (const kind of order) {
          const event = kind === 'full' ? await makeEvent(bench) : {};
          const path = kind === 'full' ? bundle.bundlePath : bundle.baselinePath;
          samples[kind].push(await runProbe(path, event, bundle.name, env, `${bundle.name}-${kind}-${i}`));
        }
      }
      coldStarts[bundle.name] = samples;
    }
    // What loading the source maps at run time costs (serverless.yml decides on this figure).
    const mapped = built.find((bundle) => bundle.name === SOURCE_MAP_PROBE);
    const makeEvent = EVENT_MAKERS[SOURCE_MAP_PROBE];
    if (mapped && makeEvent && mapped.mapBytes > 0) {
      progress(`bundles: cold starts of ${SOURCE_MAP_PROBE} with and without --enable-source-maps`);
      const withMaps = { ...env, NODE_OPTIONS: `${nodeOptions} --enable-source-maps`.trim() };
      for (let i = 0; i < COLD_STARTS; i++) {
        for (const kind of i % 2 === 0 ? (['with', 'without'] as const) : (['without', 'with'] as const)) {
          const sample = await runProbe(
            mapped.bundlePath,
            await makeEvent(bench),
            mapped.name,
            kind === 'with' ? withMaps : env,
            `${mapped.name}-maps-${kind}-${i}`,
          );
          sourceMapSamples[kind].push(sample);
        }
      }
    }
  } finally {
    await bench.close();
  }

  const rows: Row[] = [];
  for (const bundle of built) {
    const baselineIs = `SDK only: ${bundle.sdkPackages.map((name) => name.replace('@aws-sdk/', '')).join(' + ')}`;
    rows.push(
      ratioRow(
        `Bundle size: ${bundle.name}`,
        'KiB',
        round(bundle.bytes / 1024, 1),
        round(bundle.baselineBytes / 1024, 1),
        baselineIs,
        MAX_RATIO,
      ),
    );
  }
  for (const bundle of built) {
    const samples = coldStarts[bundle.name];
    if (!samples) continue;
    const baselineIs = `SDK only: ${bundle.sdkPackages.map((name) => name.replace('@aws-sdk/', '')).join(' + ')}`;
    rows.push(
      ratioRow(
        `Cold start (import + 1st call, median of ${COLD_STARTS}): ${bundle.name}`,
        'ms',
        round(median(samples.full.map((sample) => sample.totalMs)), 1),
        round(median(samples.baseline.map((sample) => sample.totalMs)), 1),
        baselineIs,
        MAX_RATIO,
      ),
    );
  }
  if (sourceMapSamples.with.length > 0) {
    rows.push(
      ratioRow(
        `Cold start: ${SOURCE_MAP_PROBE} with --enable-source-maps`,
        'ms',
        round(median(sourceMapSamples.with.map((sample) => sample.totalMs)), 1),
        round(median(sourceMapSamples.without.map((sample) => sample.totalMs)), 1),
        `the same ${SOURCE_MAP_PROBE} bundle without --enable-source-maps`,
        null,
      ),
    );
  }
  for (const bundle of built) {
    const extra = bundle.composition
      .filter(
        ([name]) => !name.startsWith('@aws-sdk/') && !name.startsWith('@smithy/') && !name.startsWith('@aws-crypto/'),
      )
      .slice(0, 4)
      .map(([name, kib]) => `${name} ${kib}`)
      .join(', ');
    notes.push(`${bundle.name}: largest non-SDK parts (KiB): ${extra}.`);
  }
  notes.push(
    `Bundles: minified .mjs as packaged by osls (source map excluded, it ships beside it); cold start in a fresh node with NODE_OPTIONS="${nodeOptions}" as serverless.yml sets it, Node's own start-up excluded.`,
  );
  const outcomes = Object.fromEntries(
    Object.entries(coldStarts).map(([name, samples]) => [
      name,
      {
        full: [...new Set(samples.full.map((sample) => sample.outcome))],
        baseline: [...new Set(samples.baseline.map((sample) => sample.outcome))],
      },
    ]),
  );
  return {
    part: 'bundles',
    seconds: (performance.now() - started) / 1000,
    rows,
    notes,
    details: {
      functions: built.map((bundle) => {
        const samples = coldStarts[bundle.name];
        const stats = (list: ProbeResult[] | undefined) =>
          list && {
            medianImportMs: round(median(list.map((sample) => sample.importMs)), 1),
            medianInvokeMs: round(median(list.map((sample) => sample.invokeMs)), 1),
            medianTotalMs: round(median(list.map((sample) => sample.totalMs)), 1),
            totalsMs: list.map((sample) => round(sample.totalMs, 1)),
          };
        return {
          name: bundle.name,
          bytes: bundle.bytes,
          mapBytes: bundle.mapBytes,
          zipBytes: bundle.zipBytes,
          sdkPackages: bundle.sdkPackages,
          composition: bundle.composition.slice(0, 15),
          baselineBytes: bundle.baselineBytes,
          coldStart: { full: stats(samples?.full), baseline: stats(samples?.baseline) },
          outcomes: outcomes[bundle.name],
        };
      }),
    },
  };
}
