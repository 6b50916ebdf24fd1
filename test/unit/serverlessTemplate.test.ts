// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is osls / CloudFormation syntax, not JS.
// Packages the service with osls (offline, fake credentials) and checks the CloudFormation it would deploy.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadEventRules } from '../../infra/local/eventRules';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: the generated CloudFormation JSON is navigated freely in assertions.
type Dict = Record<string, any>;
let packageDir: string;
let template: Dict;
let resources: Dict;
let packagingSeconds: number;

beforeAll(async () => {
  packageDir = mkdtempSync(join(tmpdir(), 'greenlight-package-'));
  const started = Date.now();
  const { AWS_PROFILE: _p, AWS_DEFAULT_PROFILE: _d, AWS_SESSION_TOKEN: _t, ...env } = process.env;
  await run(
    process.execPath,
    [join(root, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', 'dev', '--package', packageDir],
    {
      cwd: root,
      timeout: 170_000,
      maxBuffer: 16 * 1024 * 1024,
      env: {
        ...env,
        AWS_ACCESS_KEY_ID: 'AKIAFAKE',
        AWS_SECRET_ACCESS_KEY: 'fake',
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        // Own scratch folder, so a concurrent `npm run package` or test run cannot delete our build mid-way.
        GREENLIGHT_ESBUILD_WORK_FOLDER: `.esbuild/test-${process.pid}-${started}`,
      },
    },
  );
  packagingSeconds = (Date.now() - started) / 1000;
  template = JSON.parse(readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'));
  resources = template.Resources;
}, 180_000);

afterAll(() => {
  if (packageDir) rmSync(packageDir, { recursive: true, force: true });
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const CAPTURE_ARN = { 'Fn::GetAtt': ['CaptureLambdaFunction', 'Arn'] };
const DLQ_ARN = { 'Fn::GetAtt': ['CaptureDeadLetterQueue', 'Arn'] };
const TABLE_ARN = { 'Fn::GetAtt': ['ApprovalsTable', 'Arn'] };

describe('osls package', () => {
  it('packages offline within the time budget', () => {
    expect(packagingSeconds).toBeLessThan(120);
    expect(resources).toBeTypeOf('object');
  });
});

describe('capture function', () => {
  it('runs on nodejs22.x / arm64 with the documented handler and environment', () => {
    const fn = resources.CaptureLambdaFunction;
    expect(fn.Type).toBe('AWS::Lambda::Function');
    expect(fn.Properties.Runtime).toBe('nodejs22.x');
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    expect(fn.Properties.Handler).toBe('functions/capture.handler');
    expect(fn.Properties.Environment.Variables).toMatchObject({
      APPROVALS_TABLE_NAME: 'greenlight-dev-approvals',
      POWERTOOLS_SERVICE_NAME: 'greenlight',
      LOG_LEVEL: 'INFO',
    });
    for (const [, f] of ofType('AWS::Lambda::Function')) expect(f.Properties.Runtime).toBe('nodejs22.x');
  });

  it('ships a bundle whose handler loads in plain Node (resolved like Lambda does)', async () => {
    // Prepare: unzip the artifact the way Lambda would see it.
    const unzipped = join(packageDir, 'capture-unzipped');
    const entries = unzip(readFileSync(join(packageDir, 'capture.zip')), unzipped);
    expect(entries.some((e) => e.startsWith('node_modules/'))).toBe(false);
    expect(entries.some((e) => e.endsWith('.ts'))).toBe(false);
    const handler: string = resources.CaptureLambdaFunction.Properties.Handler;
    const modulePath = handler.slice(0, handler.lastIndexOf('.'));
    const exportName = handler.slice(handler.lastIndexOf('.') + 1);
    // Lambda's Node.js runtime looks for <module>.js, .mjs or .cjs; .js is ESM only beside a "type": "module".
    const candidates = ['.mjs', '.cjs', '.js'].map((ext) => `${modulePath}${ext}`).filter((f) => entries.includes(f));
    expect(candidates).toEqual([`${modulePath}.mjs`]);
    // Act: import it in a fresh Node process with a Lambda-like environment (no network is used at import time).
    const script = `const m = await import(process.argv[1]); console.log(typeof m[process.argv[2]]);`;
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', script, join(unzipped, candidates[0] ?? ''), exportName],
      {
        cwd: unzipped,
        env: {
          PATH: process.env.PATH ?? '',
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'AKIAFAKE',
          AWS_SECRET_ACCESS_KEY: 'fake',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          ...resources.CaptureLambdaFunction.Properties.Environment.Variables,
        },
      },
    );
    // Assess
    expect(stdout.trim()).toBe('function');
  });
});

describe('approvals table', () => {
  it('is exactly the definition in infra/table.yml, named for the stage', () => {
    const fromYml = parse(readFileSync(join(root, 'infra/table.yml'), 'utf8')).Resources.ApprovalsTable;
    const table = resources.ApprovalsTable;
    expect(table).toEqual({ ...fromYml, Properties: { ...fromYml.Properties, TableName: 'greenlight-dev-approvals' } });
    expect(ofType('AWS::DynamoDB::Table').map(([id]) => id)).toEqual(['ApprovalsTable']);
  });

  it('has the keys, sparse open index, workflow index and TTL the store relies on', () => {
    const p = resources.ApprovalsTable.Properties;
    expect(p.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(
      p.GlobalSecondaryIndexes.map((g: Dict) => [g.IndexName, g.KeySchema.map((k: Dict) => k.AttributeName)]),
    ).toEqual([
      ['OpenByCreatedAt', ['openStatus', 'openSince']],
      ['ByWorkflow', ['workflowKey', 'createdAt']],
    ]);
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: 'purgeAt', Enabled: true });
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });
});

describe('EventBridge rules', () => {
  const customBus = { 'Fn::GetAtt': ['ApprovalEventBus', 'Name'] };
  const expected = [
    { bus: customBus, pattern: { 'detail-type': ['Approval Requested'] } },
    {
      bus: undefined,
      pattern: { source: ['aws.imagebuilder'], 'detail-type': ['EC2 Image Builder Workflow Step Waiting'] },
    },
    {
      bus: undefined,
      pattern: {
        source: ['aws.ssm'],
        'detail-type': [
          'EC2 Automation Step Status-change Notification',
          'EC2 Automation Execution Status-change Notification',
        ],
        detail: { Status: ['Waiting'] },
      },
    },
  ];

  it('creates the custom bus greenlight-<stage>', () => {
    expect(resources.ApprovalEventBus).toEqual({
      Type: 'AWS::Events::EventBus',
      Properties: { Name: 'greenlight-dev' },
    });
  });

  it('has exactly the three capture rules, each on its bus with its exact pattern, targeting capture', () => {
    const rules = ofType('AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(rules.map((r) => ({ bus: r.EventBusName, pattern: r.EventPattern }))).toEqual(expected);
    for (const rule of rules) {
      expect(rule.State).toBe('ENABLED');
      expect(rule.Targets).toHaveLength(1);
      expect(rule.Targets[0].Arn).toEqual(CAPTURE_ARN);
      expect(Object.keys(rule.Targets[0]).sort()).toEqual(['Arn', 'Id']); // the event is delivered unchanged
    }
  });

  it('lets each rule invoke capture', () => {
    const permissions = ofType('AWS::Lambda::Permission').map(([, p]) => p.Properties);
    const ruleNames = ofType('AWS::Events::Rule').map(([, r]) => r.Properties.Name);
    for (const name of ruleNames) {
      const permission = permissions.find((p) => JSON.stringify(p.SourceArn).includes(`"${name}"`));
      expect(permission, name).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        FunctionName: CAPTURE_ARN,
      });
    }
  });

  it('are the same patterns the local stack routes with (infra/local/eventRules.ts)', () => {
    const rules = ofType('AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(loadEventRules(join(root, 'serverless.yml')).map((r) => r.pattern)).toEqual(
      rules.map((r) => r.EventPattern),
    );
  });
});

describe('failed captures', () => {
  it('are retried at most twice, then sent to the encrypted 14-day dead-letter queue', () => {
    expect(resources.CaptureDeadLetterQueue.Type).toBe('AWS::SQS::Queue');
    expect(resources.CaptureDeadLetterQueue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    const configs = ofType('AWS::Lambda::EventInvokeConfig').map(([, c]) => c.Properties);
    expect(configs).toEqual([
      {
        FunctionName: { Ref: 'CaptureLambdaFunction' },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: DLQ_ARN } },
      },
    ]);
  });
});

describe('IAM', () => {
  const ALLOWED_ACTIONS = new Set([
    'logs:CreateLogGroup',
    'logs:CreateLogStream',
    'logs:PutLogEvents',
    'logs:TagResource',
    'dynamodb:PutItem',
    'dynamodb:GetItem',
    'dynamodb:UpdateItem',
    'dynamodb:Query',
    'ssm:GetAutomationExecution',
    'sqs:SendMessage',
  ]);

  const allowStatements = (): Dict[] => {
    const documents = [
      ...ofType('AWS::IAM::Role').flatMap(([, r]) => asList(r.Properties.Policies).map((p: Dict) => p.PolicyDocument)),
      ...ofType('AWS::IAM::Policy').map(([, p]) => p.Properties.PolicyDocument),
      ...ofType('AWS::IAM::ManagedPolicy').map(([, p]) => p.Properties.PolicyDocument),
    ];
    return documents.flatMap((d) => asList<Dict>(d.Statement)).filter((s) => s.Effect === 'Allow');
  };

  it('allows only named actions from the allow-list, never a wildcard action', () => {
    const statements = allowStatements();
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.NotAction).toBeUndefined();
      for (const action of asList<string>(statement.Action)) {
        expect(action).not.toContain('*');
        expect(ALLOWED_ACTIONS.has(action), `action ${action} is not in the allow-list`).toBe(true);
      }
    }
  });

  it('never allows Resource "*"', () => {
    for (const statement of allowStatements()) {
      expect(statement.NotResource).toBeUndefined();
      const resourcesOf = asList<unknown>(statement.Resource);
      expect(resourcesOf.length).toBeGreaterThan(0);
      expect(resourcesOf).not.toContain('*');
    }
  });

  it('scopes each permission to its resource', () => {
    const actionsOn = (action: string) =>
      allowStatements()
        .filter((s) => asList(s.Action).includes(action))
        .flatMap((s) => asList(s.Resource));
    for (const action of ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query']) {
      expect(actionsOn(action)).toEqual([TABLE_ARN, { 'Fn::Sub': '${ApprovalsTable.Arn}/index/*' }]);
    }
    expect(actionsOn('ssm:GetAutomationExecution')).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:automation-execution/*' },
    ]);
    expect(actionsOn('sqs:SendMessage')).toEqual([DLQ_ARN]);
  });
});

describe('outputs', () => {
  it('publish the table name, bus name and dead-letter queue URL', () => {
    expect(template.Outputs.ApprovalsTableName.Value).toEqual({ Ref: 'ApprovalsTable' });
    expect(template.Outputs.ApprovalEventBusName.Value).toEqual({ Ref: 'ApprovalEventBus' });
    expect(template.Outputs.CaptureDeadLetterQueueUrl.Value).toEqual({ Ref: 'CaptureDeadLetterQueue' });
  });
});

/** Minimal ZIP reader (stored/deflated entries, no ZIP64) — enough for Lambda artifacts; avoids a dependency. */
function unzip(zip: Buffer, into: string): string[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    const target = join(into, name);
    if (!target.startsWith(into)) throw new Error(`unsafe path in zip: ${name}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, method === 0 ? data : method === 8 ? inflateRawSync(data) : fail(name, method));
    names.push(name);
  }
  return names;
}

function fail(name: string, method: number): never {
  throw new Error(`${name}: unsupported zip compression method ${method}`);
}
