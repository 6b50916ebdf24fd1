// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is osls / CloudFormation syntax, not JS.
// Packages the service with osls (offline, fake credentials) and checks the CloudFormation it would deploy.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadEventRules } from '../../infra/local/eventRules';
import { readZipEntries } from '../support/readZipEntries';

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
  // GREENLIGHT_EMAIL_FROM and GREENLIGHT_SLACK_* are dropped too, so notify's EMAIL_FROM_ADDRESS and slackInteractions'
  // SLACK_TEAM_ID / SLACK_APP_ID are the defaults serverless.yml declares.
  const {
    AWS_PROFILE: _p,
    AWS_DEFAULT_PROFILE: _d,
    AWS_SESSION_TOKEN: _t,
    GREENLIGHT_EMAIL_FROM: _f,
    GREENLIGHT_SLACK_TEAM_ID: _st,
    GREENLIGHT_SLACK_APP_ID: _sa,
    ...env
  } = process.env;
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
const sorted = <T>(items: T[]): T[] => [...items].sort();

/**
 * A CloudFormation string expression as one `${...}` string, so equivalent spellings (`!GetAtt X.Arn`,
 * `!Sub "${X.Arn}"`, a `!Join` of `!Ref`s) compare equal while the ARN they build is still checked exactly.
 */
function cfnString(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Dict;
  if (typeof v?.['Fn::Sub'] === 'string') return v['Fn::Sub'];
  if (Array.isArray(v?.['Fn::GetAtt'])) return `\${${v['Fn::GetAtt'].join('.')}}`;
  if (typeof v?.Ref === 'string') return `\${${v.Ref}}`;
  if (Array.isArray(v?.['Fn::Join'])) return v['Fn::Join'][1].map(cfnString).join(v['Fn::Join'][0]);
  throw new Error(`unexpected CloudFormation expression ${JSON.stringify(value)}`);
}

/** The functions: key under `functions:` in serverless.yml → CloudFormation logical id. */
const FUNCTIONS = {
  capture: 'CaptureLambdaFunction',
  restApi: 'RestApiLambdaFunction',
  iamApi: 'IamApiLambdaFunction',
  reviewPages: 'ReviewPagesLambdaFunction',
  inbox: 'InboxLambdaFunction',
  decisionEvents: 'DecisionEventsLambdaFunction',
  slackInteractions: 'SlackInteractionsLambdaFunction',
  notify: 'NotifyLambdaFunction',
  lifecycle: 'LifecycleLambdaFunction',
} as const;
type FunctionKey = keyof typeof FUNCTIONS;
const FUNCTION_KEYS = Object.keys(FUNCTIONS) as FunctionKey[];
const fnArn = (key: FunctionKey) => `\${${FUNCTIONS[key]}.Arn}`;
/** Each function's own IAM role (infra/roles.yml). */
const ROLES: Record<FunctionKey, string> = {
  capture: 'CaptureRole',
  restApi: 'RestApiRole',
  iamApi: 'IamApiRole',
  reviewPages: 'ReviewPagesRole',
  inbox: 'InboxRole',
  decisionEvents: 'DecisionEventsRole',
  slackInteractions: 'SlackInteractionsRole',
  notify: 'NotifyRole',
  lifecycle: 'LifecycleRole',
};
/** The statements of a role's inline policies. */
const statementsOf = (roleId: string): Dict[] =>
  asList<Dict>(resources[roleId]?.Properties.Policies).flatMap((policy) =>
    asList<Dict>(policy.PolicyDocument.Statement),
  );

const ACCOUNT = 'arn:${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}';
const arnOf = (service: string, resource: string) => `${ACCOUNT.replace('%s', service)}:${resource}`;
const BUS_ARN = '${ApprovalEventBus.Arn}';
const CUSTOM_BUS = '${ApprovalEventBus.Name}';
const DECISION_BUS = '${DecisionEventBus.Name}';
const DEAD_LETTER_QUEUES = {
  capture: 'CaptureDeadLetterQueue',
  decisionEvents: 'DecisionEventsDeadLetterQueue',
  notify: 'NotifyDeadLetterQueue',
  lifecycle: 'LifecycleDeadLetterQueue',
};
/** What `!GetAtt HttpApi.ApiEndpoint` resolves to once deployed (stands in for it when loading a bundle). */
const API_ENDPOINT = 'https://abcdef1234.execute-api.us-east-1.amazonaws.com';

describe('osls package', () => {
  it('packages offline within the time budget', () => {
    expect(packagingSeconds).toBeLessThan(120);
    expect(resources).toBeTypeOf('object');
  });
});

describe('functions', () => {
  it('are exactly capture, restApi, iamApi, reviewPages, inbox, decisionEvents, slackInteractions, notify and lifecycle, each with its own handler', () => {
    expect(sorted(ofType('AWS::Lambda::Function').map(([id]) => id))).toEqual(sorted(Object.values(FUNCTIONS)));
    for (const key of FUNCTION_KEYS) {
      expect(resources[FUNCTIONS[key]].Properties.Handler, key).toBe(`functions/${key}.handler`);
    }
  });

  it('lifecycle alone gets 60 s (the sweep pages through open approvals); the others keep the 10 s default', () => {
    for (const key of FUNCTION_KEYS) {
      expect(resources[FUNCTIONS[key]].Properties.Timeout, key).toBe(key === 'lifecycle' ? 60 : 10);
    }
  });

  it('all run on nodejs22.x / arm64', () => {
    for (const [id, fn] of ofType('AWS::Lambda::Function')) {
      expect(fn.Properties.Runtime, id).toBe('nodejs22.x');
      expect(fn.Properties.Architectures, id).toEqual(['arm64']);
    }
  });

  it('all get the table, the bus and the names (not values) of the secret parameters (REST clients: a prefix)', () => {
    for (const [id, fn] of ofType('AWS::Lambda::Function')) {
      expect(fn.Properties.Environment.Variables, id).toMatchObject({
        APPROVALS_TABLE_NAME: 'greenlight-dev-approvals',
        EVENT_BUS_NAME: { Ref: 'ApprovalEventBus' },
        REST_CLIENT_SECRETS_PREFIX: '/greenlight/dev/clients/',
        REVIEW_LINK_KEYS_PARAMETER: '/greenlight/dev/review-link-keys',
        SLACK_BOT_TOKEN_PARAMETER: '/greenlight/dev/slack-bot-token',
        SLACK_SIGNING_SECRET_PARAMETER: '/greenlight/dev/slack-signing-secret',
        POWERTOOLS_SERVICE_NAME: 'greenlight',
        LOG_LEVEL: 'INFO',
      });
    }
  });

  it("capture alone knows Greenlight's roles that answer SSM waits (to leave them out of SSM approvers)", () => {
    // Every role allowed ssm:SendAutomationSignal, and no other, is in the list (and in the SsmApproverRoleArns output).
    const signalling = FUNCTION_KEYS.filter((key) =>
      statementsOf(ROLES[key]).some((s) => asList(s.Action).includes('ssm:SendAutomationSignal')),
    ).map((key) => `\${${ROLES[key]}.Arn}`);
    expect(signalling).toHaveLength(8);
    const listed = cfnString(resources.CaptureLambdaFunction.Properties.Environment.Variables.GREENLIGHT_ROLE_ARN);
    expect(sorted(listed.split(','))).toEqual(sorted(signalling));
    expect(sorted(cfnString(template.Outputs.SsmApproverRoleArns.Value).split(','))).toEqual(sorted(signalling));
    for (const key of FUNCTION_KEYS.filter((k) => k !== 'capture')) {
      expect(Object.keys(resources[FUNCTIONS[key]].Properties.Environment.Variables), key).not.toContain(
        'GREENLIGHT_ROLE_ARN',
      );
    }
  });

  it('notify (review links), reviewPages and inbox (a POST must come from that origin) alone get the API endpoint; notify alone the sender address', () => {
    expect(resources.NotifyLambdaFunction.Properties.Environment.Variables).toMatchObject({
      PUBLIC_BASE_URL: { 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] },
      EMAIL_FROM_ADDRESS: 'approvals@example.com',
    });
    expect(resources.ReviewPagesLambdaFunction.Properties.Environment.Variables).toMatchObject({
      PUBLIC_BASE_URL: { 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] },
    });
    expect(resources.InboxLambdaFunction.Properties.Environment.Variables).toMatchObject({
      PUBLIC_BASE_URL: { 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] },
      SSO_SESSION_SECONDS: '3600',
    });
    for (const key of FUNCTION_KEYS.filter((k) => k !== 'notify' && k !== 'reviewPages' && k !== 'inbox')) {
      expect(Object.keys(resources[FUNCTIONS[key]].Properties.Environment.Variables), key).not.toContain(
        'PUBLIC_BASE_URL',
      );
    }
    for (const key of FUNCTION_KEYS.filter((k) => k !== 'notify')) {
      const variables = resources[FUNCTIONS[key]].Properties.Environment.Variables;
      expect(Object.keys(variables), key).not.toContain('EMAIL_FROM_ADDRESS');
    }
  });

  it('has no dependency cycle (reviewPages reads the endpoint of the API that invokes it)', () => {
    // Prepare: every resource's dependencies (Ref, Fn::GetAtt, ${X} / ${X.Attr} in Fn::Sub, DependsOn).
    const dependenciesOf = (value: unknown, found = new Set<string>()): Set<string> => {
      if (typeof value === 'string') return found;
      if (Array.isArray(value)) {
        for (const item of value) dependenciesOf(item, found);
        return found;
      }
      if (typeof value !== 'object' || value === null) return found;
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Ref' && typeof inner === 'string') found.add(inner);
        else if (key === 'Fn::GetAtt') found.add(String(Array.isArray(inner) ? inner[0] : String(inner).split('.')[0]));
        else if (key === 'Fn::Sub') {
          const text = Array.isArray(inner) ? inner[0] : inner;
          for (const match of String(text).matchAll(/\$\{([^}.!]+)/g)) found.add(match[1] as string);
          if (Array.isArray(inner)) dependenciesOf(inner[1], found);
        } else dependenciesOf(inner, found);
      }
      return found;
    };
    const graph = new Map(
      Object.entries(resources).map(([id, resource]) => {
        const edges = dependenciesOf(resource.Properties);
        for (const dependency of asList<string>(resource.DependsOn)) edges.add(dependency);
        return [id, [...edges].filter((edge) => edge in resources)];
      }),
    );
    // Act: depth-first search for a back edge.
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[][] = [];
    const visit = (id: string, path: string[]) => {
      if (state.get(id) === 'done') return;
      if (state.get(id) === 'open') {
        cycles.push([...path.slice(path.indexOf(id)), id]);
        return;
      }
      state.set(id, 'open');
      for (const next of graph.get(id) ?? []) visit(next, [...path, id]);
      state.set(id, 'done');
    };
    for (const id of graph.keys()) visit(id, []);
    // Assess
    expect(graph.get('ReviewPagesLambdaFunction')).toContain('HttpApi');
    expect(cycles).toEqual([]);
  });

  it('slackInteractions alone gets the Slack workspace and app ids, from the deploy-time environment (empty: off)', () => {
    expect(resources.SlackInteractionsLambdaFunction.Properties.Environment.Variables).toMatchObject({
      SLACK_TEAM_ID: '',
      SLACK_APP_ID: '',
    });
    for (const key of FUNCTION_KEYS.filter((k) => k !== 'slackInteractions')) {
      const variables = Object.keys(resources[FUNCTIONS[key]].Properties.Environment.Variables);
      expect(variables, key).not.toContain('SLACK_TEAM_ID');
      expect(variables, key).not.toContain('SLACK_APP_ID');
    }
  });

  it.each(FUNCTION_KEYS)(
    '%s ships a bundle whose handler loads in plain Node (resolved like Lambda does)',
    async (key) => {
      // Prepare: unzip the artifact the way Lambda would see it.
      const unzipped = join(packageDir, `${key}-unzipped`);
      const entries = unzip(readFileSync(join(packageDir, `${key}.zip`)), unzipped);
      expect(entries.some((e) => e.startsWith('node_modules/'))).toBe(false);
      expect(entries.some((e) => e.endsWith('.ts'))).toBe(false);
      const fn = resources[FUNCTIONS[key]].Properties;
      const handler: string = fn.Handler;
      const modulePath = handler.slice(0, handler.lastIndexOf('.'));
      const exportName = handler.slice(handler.lastIndexOf('.') + 1);
      // Lambda's Node.js runtime looks for <module>.js, .mjs or .cjs; .js is ESM only beside a "type": "module".
      const candidates = ['.mjs', '.cjs', '.js'].map((ext) => `${modulePath}${ext}`).filter((f) => entries.includes(f));
      expect(candidates).toEqual([`${modulePath}.mjs`]);
      // The environment as Lambda would resolve it (EVENT_BUS_NAME is `Ref ApprovalEventBus`, i.e. the bus name;
      // notify's and reviewPages' PUBLIC_BASE_URL is `!GetAtt HttpApi.ApiEndpoint`, the API's https:// endpoint).
      // capture's GREENLIGHT_ROLE_ARN joins the ARNs of the roles that answer SSM waits.
      const resolved: Record<string, string> = {
        '${ApprovalEventBus}': 'greenlight-dev',
        '${HttpApi.ApiEndpoint}': API_ENDPOINT,
        ...Object.fromEntries(
          FUNCTION_KEYS.map((k) => [
            `\${${ROLES[k]}.Arn}`,
            `arn:aws:iam::111122223333:role/greenlight-dev-us-east-1-${k}`,
          ]),
        ),
      };
      const environment = Object.fromEntries(
        Object.entries<unknown>(fn.Environment.Variables).map(([name, value]) => {
          if (typeof value === 'string') return [name, value];
          const expression = cfnString(value).replace(/\$\{[^}]+\}/g, (token) => {
            if (!(token in resolved)) throw new Error(`${key}: ${name} uses ${token}, which is not resolved here`);
            return resolved[token] as string;
          });
          return [name, expression];
        }),
      );
      expect(environment.EVENT_BUS_NAME).toBe(resources.ApprovalEventBus.Properties.Name);
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
            ...environment,
          },
        },
      );
      // Assess
      expect(stdout.trim()).toBe('function');
    },
  );
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
      ['ClosedByMonth', ['closedMonth', 'closedSince']],
    ]);
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: 'purgeAt', Enabled: true });
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it('projects keys only into both indexes: no index holds a copy of the source reference (task token)', () => {
    const projections = resources.ApprovalsTable.Properties.GlobalSecondaryIndexes.map((g: Dict) => [
      g.IndexName,
      g.Projection,
    ]);
    expect(projections).toEqual([
      ['OpenByCreatedAt', { ProjectionType: 'KEYS_ONLY' }],
      ['ByWorkflow', { ProjectionType: 'KEYS_ONLY' }],
      ['ClosedByMonth', { ProjectionType: 'KEYS_ONLY' }],
    ]);
    for (const [name, projection] of projections) {
      expect(projection.ProjectionType, name).not.toBe('ALL');
      expect(asList(projection.NonKeyAttributes), name).not.toContain('sourceRef');
    }
  });
});

describe('EventBridge rules', () => {
  const expected = [
    {
      name: 'greenlight-dev-sfn-approval-requested',
      bus: CUSTOM_BUS,
      pattern: { 'detail-type': ['Approval Requested'] },
      target: fnArn('capture'),
    },
    {
      name: 'greenlight-dev-imagebuilder-step-waiting',
      bus: undefined,
      pattern: { source: ['aws.imagebuilder'], 'detail-type': ['EC2 Image Builder Workflow Step Waiting'] },
      target: fnArn('capture'),
    },
    {
      name: 'greenlight-dev-ssm-automation-waiting',
      bus: undefined,
      pattern: {
        source: ['aws.ssm'],
        'detail-type': [
          'EC2 Automation Step Status-change Notification',
          'EC2 Automation Execution Status-change Notification',
        ],
        detail: { Status: ['Waiting'] },
      },
      target: fnArn('capture'),
    },
    {
      name: 'greenlight-dev-codepipeline-approval-started',
      bus: undefined,
      pattern: {
        source: ['aws.codepipeline'],
        'detail-type': ['CodePipeline Action Execution State Change'],
        detail: { state: ['STARTED'], type: { category: ['Approval'], provider: ['Manual'] } },
      },
      target: fnArn('capture'),
    },
    {
      name: 'greenlight-dev-approval-decision',
      bus: DECISION_BUS,
      pattern: { 'detail-type': ['Approval Decision'] },
      target: fnArn('decisionEvents'),
    },
    {
      name: 'greenlight-dev-notify',
      bus: CUSTOM_BUS,
      pattern: {
        source: ['greenlight'],
        'detail-type': [
          'Approval Opened',
          'Approval Vote Recorded',
          'Approval Decided',
          'Approval Closed',
          'Approval Reminder Due',
        ],
      },
      target: fnArn('notify'),
    },
    {
      name: 'greenlight-dev-sfn-execution-ended',
      bus: undefined,
      pattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] },
      },
      target: fnArn('lifecycle'),
    },
    {
      name: 'greenlight-dev-image-ended',
      bus: undefined,
      pattern: {
        source: ['aws.imagebuilder'],
        'detail-type': ['EC2 Image Builder Image State Change'],
        detail: { state: { status: ['AVAILABLE', 'FAILED', 'CANCELLED', 'DELETED'] } },
      },
      target: fnArn('lifecycle'),
    },
    {
      name: 'greenlight-dev-automation-ended',
      bus: undefined,
      pattern: {
        source: ['aws.ssm'],
        'detail-type': ['EC2 Automation Execution Status-change Notification'],
        detail: {
          Status: [
            'Success',
            'Failed',
            'TimedOut',
            'Cancelled',
            'CompletedWithSuccess',
            'CompletedWithFailure',
            'Exited',
            'Rejected',
          ],
        },
      },
      target: fnArn('lifecycle'),
    },
    {
      name: 'greenlight-dev-durable-execution-ended',
      bus: undefined,
      pattern: {
        source: ['aws.lambda'],
        'detail-type': ['Durable Execution Status Change'],
        detail: { status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED'] },
      },
      target: fnArn('lifecycle'),
    },
    {
      name: 'greenlight-dev-codepipeline-approval-ended',
      bus: undefined,
      pattern: {
        source: ['aws.codepipeline'],
        'detail-type': ['CodePipeline Action Execution State Change'],
        detail: {
          state: ['SUCCEEDED', 'FAILED', 'ABANDONED', 'CANCELED'],
          type: { category: ['Approval'], provider: ['Manual'] },
        },
      },
      target: fnArn('lifecycle'),
    },
  ];
  /** The one schedule rule: no pattern, default bus (schedules run only there). */
  const expectedSchedules = [
    {
      name: 'greenlight-dev-lifecycle-sweep',
      bus: undefined,
      schedule: 'rate(5 minutes)',
      target: fnArn('lifecycle'),
    },
  ];
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  const ruleEntries = () => ofType('AWS::Events::Rule');
  const rules = () => ruleEntries().map(([, r]) => r.Properties);
  const patternRules = () => rules().filter((r) => r.EventPattern !== undefined);
  /** The two spellings of a rule's ARN osls uses in a permission: built from its name, or `!GetAtt <rule>.Arn`. */
  const ruleArns = (id: string, rule: Dict) => [
    `${arnOf('events', 'rule/')}${rule.EventBusName === undefined ? '' : `${cfnString(rule.EventBusName)}/`}${rule.Name}`,
    `\${${id}.Arn}`,
  ];

  it('creates the request bus greenlight-<stage> and the decisions bus greenlight-<stage>-decisions', () => {
    expect(resources.ApprovalEventBus).toEqual({
      Type: 'AWS::Events::EventBus',
      Properties: { Name: 'greenlight-dev' },
    });
    expect(ofType('AWS::Events::EventBus').map(([id]) => id)).toEqual(['ApprovalEventBus', 'DecisionEventBus']);
  });

  it('are exactly the capture rules, the decision rule, the notify rule, the lifecycle rules and the lifecycle schedule, each on its bus with its exact pattern or schedule', () => {
    const actual = rules().map((r) => ({
      name: r.Name,
      bus: r.EventBusName === undefined ? undefined : cfnString(r.EventBusName),
      // Exactly one of the two is set: a pattern rule has no schedule, the schedule rule no pattern.
      ...(r.EventPattern !== undefined && { pattern: r.EventPattern }),
      ...(r.ScheduleExpression !== undefined && { schedule: r.ScheduleExpression }),
      target: r.Targets.length === 1 ? cfnString(r.Targets[0].Arn) : r.Targets,
    }));
    expect(actual.sort(byName)).toEqual([...expected, ...expectedSchedules].sort(byName));
    expect(rules()).toHaveLength(expected.length + expectedSchedules.length);
    for (const rule of rules()) {
      expect(rule.State, rule.Name).toBe('ENABLED');
      expect(Object.keys(rule.Targets[0]).sort(), rule.Name).toEqual(['Arn', 'Id']); // the event is delivered unchanged
    }
  });

  it('runs the lifecycle sweep every 5 minutes on the default bus, invoking lifecycle alone with the scheduled event', () => {
    const schedules = rules().filter((r) => r.ScheduleExpression !== undefined);
    expect(schedules).toHaveLength(1);
    const [sweep] = schedules;
    expect(sweep.ScheduleExpression).toBe('rate(5 minutes)');
    expect(sweep.Name).toBe('greenlight-dev-lifecycle-sweep');
    expect(sweep.EventPattern).toBeUndefined();
    expect(sweep.EventBusName).toBeUndefined();
    expect(sweep.Targets).toHaveLength(1);
    expect(cfnString(sweep.Targets[0].Arn)).toBe(fnArn('lifecycle'));
    expect(sweep.Targets[0].Input).toBeUndefined();
  });

  it('let each rule, and nothing else, invoke its own function', () => {
    const permissions = ofType('AWS::Lambda::Permission')
      .map(([, p]) => p.Properties)
      .filter((p) => p.Principal === 'events.amazonaws.com');
    expect(permissions).toHaveLength(expected.length + expectedSchedules.length);
    for (const [id, rule] of ruleEntries().map(([ruleId, r]) => [ruleId, r.Properties] as const)) {
      const matching = permissions.filter((p) => ruleArns(id, rule).includes(cfnString(p.SourceArn)));
      expect(matching, rule.Name).toHaveLength(1);
      expect(matching[0].Action, rule.Name).toBe('lambda:InvokeFunction');
      expect(cfnString(matching[0].FunctionName), rule.Name).toBe(cfnString(rule.Targets[0].Arn));
    }
  });

  it('are the same pattern rules the local stack routes with (infra/local/eventRules.ts)', () => {
    const local = loadEventRules(join(root, 'serverless.yml')).map((r) => ({
      name: r.ruleName?.replace('greenlight-local-', 'greenlight-dev-'),
      bus: { custom: CUSTOM_BUS, decisions: DECISION_BUS, default: undefined }[r.bus],
      pattern: r.pattern,
      target: fnArn(r.functionName as FunctionKey),
    }));
    expect(local).toHaveLength(expected.length);
    expect(local).toEqual(
      patternRules().map((r) => ({
        name: r.Name,
        bus: r.EventBusName === undefined ? undefined : cfnString(r.EventBusName),
        pattern: r.EventPattern,
        target: cfnString(r.Targets[0].Arn),
      })),
    );
  });
});

describe('the decisions bus', () => {
  const policies = () => ofType('AWS::Events::EventBusPolicy').map(([id, resource]) => ({ id, ...resource }));

  it('is its own bus: no rule on the request bus routes an Approval Decision', () => {
    const onRequestBus = ofType('AWS::Events::Rule')
      .map(([, rule]) => rule.Properties)
      .filter((rule) => cfnString(rule.EventBusName ?? 'default') === CUSTOM_BUS);
    expect(onRequestBus.some((rule) => JSON.stringify(rule.EventPattern).includes('Approval Decision'))).toBe(false);
    expect(resources.DecisionEventBus).toMatchObject({
      Type: 'AWS::Events::EventBus',
      Properties: { Name: 'greenlight-dev-decisions' },
    });
  });

  it('denies PutEvents to everyone but the senders named at deploy time (none by default)', () => {
    const deny = policies().find((policy) => policy.Properties.Statement.Effect === 'Deny');
    expect(deny?.Properties).toMatchObject({
      EventBusName: { Ref: 'DecisionEventBus' },
      Statement: {
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: { 'Fn::GetAtt': ['DecisionEventBus', 'Arn'] },
        // Packaged without GREENLIGHT_DECISION_SENDERS: no ARN is excepted, so every principal is denied.
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::Split': [',', ''] } } },
      },
    });
    const allow = policies().find((policy) => policy.Properties.Statement.Effect === 'Allow');
    expect(allow?.Condition).toBe('HasDecisionSenders');
    expect(template.Conditions.HasDecisionSenders).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
  });
});

describe('HTTP API', () => {
  const expectedRoutes = [
    ['GET /v1/approvals', 'restApi'],
    ['GET /v1/approvals/{id}', 'restApi'],
    ['POST /v1/approvals/{id}/decision', 'restApi'],
    ['GET /v1/iam/approvals', 'iamApi'],
    ['GET /v1/iam/approvals/{id}', 'iamApi'],
    ['POST /v1/iam/approvals/{id}/decision', 'iamApi'],
    ['GET /review/{id}', 'reviewPages'],
    ['POST /review/{id}', 'reviewPages'],
    ['POST /slack/interactions', 'slackInteractions'],
    ['GET /inbox', 'inbox'],
    ['GET /inbox/history', 'inbox'],
    ['GET /inbox/login', 'inbox'],
    ['GET /inbox/callback', 'inbox'],
    ['POST /inbox/logout', 'inbox'],
    ['GET /inbox/approvals/{id}', 'inbox'],
    ['POST /inbox/approvals/{id}/decision', 'inbox'],
    ['POST /inbox/decisions', 'inbox'],
  ];

  it('is one HTTP API with an auto-deployed $default stage', () => {
    const apis = ofType('AWS::ApiGatewayV2::Api');
    expect(apis.map(([id, api]) => [id, api.Properties.ProtocolType])).toEqual([['HttpApi', 'HTTP']]);
    const stages = ofType('AWS::ApiGatewayV2::Stage').map(([, s]) => s.Properties);
    expect(stages).toMatchObject([{ ApiId: { Ref: 'HttpApi' }, StageName: '$default', AutoDeploy: true }]);
    expect(ofType('AWS::ApiGateway::RestApi')).toEqual([]);
  });

  it('has exactly the seventeen routes, each integrated with its function through a Lambda proxy, payload 2.0', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, route]) => {
      const target = cfnString(route.Properties.Target);
      expect(route.Properties.ApiId, route.Properties.RouteKey).toEqual({ Ref: 'HttpApi' });
      expect(target, route.Properties.RouteKey).toMatch(/^integrations\/\$\{\w+\}$/);
      const integration = resources[target.slice('integrations/${'.length, -1)];
      expect(integration?.Type, route.Properties.RouteKey).toBe('AWS::ApiGatewayV2::Integration');
      expect(integration.Properties, route.Properties.RouteKey).toMatchObject({
        ApiId: { Ref: 'HttpApi' },
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
      const fn = FUNCTION_KEYS.find((key) => cfnString(integration.Properties.IntegrationUri) === fnArn(key));
      return [route.Properties.RouteKey, fn];
    });
    expect(sorted(routes.map((r) => r.join(' → ')))).toEqual(sorted(expectedRoutes.map((r) => r.join(' → '))));
  });

  it('lets API Gateway invoke restApi, iamApi, reviewPages, inbox and slackInteractions from this API only', () => {
    const permissions = ofType('AWS::Lambda::Permission')
      .map(([, p]) => p.Properties)
      .filter((p) => p.Principal === 'apigateway.amazonaws.com');
    expect(sorted(permissions.map((p) => cfnString(p.FunctionName)))).toEqual(
      sorted([fnArn('restApi'), fnArn('iamApi'), fnArn('reviewPages'), fnArn('inbox'), fnArn('slackInteractions')]),
    );
    for (const p of permissions) {
      expect(p.Action).toBe('lambda:InvokeFunction');
      expect(cfnString(p.SourceArn)).toBe(arnOf('execute-api', '${HttpApi}/*'));
    }
  });

  it('authorises the /v1/iam routes with IAM (SigV4, AWS_IAM) and no others: those have their own signatures', () => {
    const authorization = Object.fromEntries(
      ofType('AWS::ApiGatewayV2::Route').map(([, route]) => [
        route.Properties.RouteKey,
        route.Properties.AuthorizationType ?? 'NONE',
      ]),
    );
    expect(authorization).toEqual(
      Object.fromEntries(
        expectedRoutes.map(([routeKey]) => [routeKey, routeKey?.includes(' /v1/iam/') ? 'AWS_IAM' : 'NONE']),
      ),
    );
    expect(ofType('AWS::ApiGatewayV2::Authorizer')).toEqual([]);
  });
});

describe('failed asynchronous invocations (capture, decisionEvents, notify, lifecycle)', () => {
  it('are retried at most twice, then sent to the function’s own dead-letter queue', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig').map(([, c]) => c.Properties);
    const expected = Object.entries(DEAD_LETTER_QUEUES).map(([key, queue]) => ({
      FunctionName: { Ref: FUNCTIONS[key as FunctionKey] },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    }));
    const byFunction = (a: Dict, b: Dict) => a.FunctionName.Ref.localeCompare(b.FunctionName.Ref);
    expect(configs.sort(byFunction)).toEqual(expected.sort(byFunction));
  });

  it('land in encrypted queues that keep messages 14 days', () => {
    expect(sorted(ofType('AWS::SQS::Queue').map(([id]) => id))).toEqual(sorted(Object.values(DEAD_LETTER_QUEUES)));
    for (const queue of Object.values(DEAD_LETTER_QUEUES)) {
      expect(resources[queue].Properties, queue).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1_209_600,
      });
    }
    expect(resources.CaptureDeadLetterQueue.Properties.QueueName).toBe('greenlight-dev-capture-dlq');
    expect(resources.DecisionEventsDeadLetterQueue.Properties.QueueName).toBe('greenlight-dev-decision-events-dlq');
    expect(resources.NotifyDeadLetterQueue.Properties.QueueName).toBe('greenlight-dev-notify-dlq');
    expect(resources.LifecycleDeadLetterQueue.Properties.QueueName).toBe('greenlight-dev-lifecycle-dlq');
  });
});

describe('IAM: one role per function, each allowed only the calls that function makes', () => {
  const LOG_GROUPS: Record<FunctionKey, string> = {
    capture: 'CaptureLogGroup',
    restApi: 'RestApiLogGroup',
    iamApi: 'IamApiLogGroup',
    reviewPages: 'ReviewPagesLogGroup',
    inbox: 'InboxLogGroup',
    decisionEvents: 'DecisionEventsLogGroup',
    slackInteractions: 'SlackInteractionsLogGroup',
    notify: 'NotifyLogGroup',
    lifecycle: 'LifecycleLogGroup',
  };
  const logs = (key: FunctionKey) => ({
    'logs:CreateLogStream': [`\${${LOG_GROUPS[key]}.Arn}`],
    'logs:PutLogEvents': [`\${${LOG_GROUPS[key]}.Arn}`],
  });
  const deadLetters = (key: keyof typeof DEAD_LETTER_QUEUES) => ({
    'sqs:SendMessage': [`\${${DEAD_LETTER_QUEUES[key]}.Arn}`],
  });
  const TABLE = '${ApprovalsTable.Arn}';
  const OPEN_INDEX = '${ApprovalsTable.Arn}/index/OpenByCreatedAt';
  const WORKFLOW_INDEX = '${ApprovalsTable.Arn}/index/ByWorkflow';
  const CLOSED_INDEX = '${ApprovalsTable.Arn}/index/ClosedByMonth';
  const STATE_MACHINES = arnOf('states', 'stateMachine:*');
  const EXECUTIONS = arnOf('states', 'execution:*');
  const IMAGES = arnOf('imagebuilder', 'image/*');
  const STEP_EXECUTIONS = arnOf('imagebuilder', 'workflow-step-execution/*');
  const AUTOMATIONS = arnOf('ssm', 'automation-execution/*');
  // Every function's durable executions (custom.durableFunctionNames defaults to `*`).
  const DURABLE_EXECUTIONS = arnOf('lambda', 'function:*:*/durable-execution/*/*');
  /** CodePipeline's `pipeline` and `action` (<pipeline>/<stage>/<action>) resource types, this account and region. */
  const PIPELINES = arnOf('codepipeline', '*');
  const APPROVAL_ACTIONS = arnOf('codepipeline', '*/*/*');
  const parameter = (name: string) => arnOf('ssm', `parameter/greenlight/dev/${name}`);
  /** The answers of the decide use case (approve or reject, on every source). */
  const RESUME = {
    'states:SendTaskSuccess': [STATE_MACHINES],
    'states:SendTaskFailure': [STATE_MACHINES],
    'imagebuilder:SendWorkflowStepAction': [IMAGES, STEP_EXECUTIONS],
    'ssm:SendAutomationSignal': [AUTOMATIONS],
    'lambda:SendDurableExecutionCallbackSuccess': [DURABLE_EXECUTIONS],
    'lambda:SendDurableExecutionCallbackFailure': [DURABLE_EXECUTIONS],
    'codepipeline:PutApprovalResult': [APPROVAL_ACTIONS],
  };
  const RESUME_ACTIONS = Object.keys(RESUME);
  const DECIDE_TABLE = { 'dynamodb:GetItem': [TABLE], 'dynamodb:PutItem': [TABLE] };
  const PUBLISH = { 'events:PutEvents': [BUS_ARN] };

  /** Per function: every action its role may do, and exactly the resources of each. */
  const GRANTS: Record<FunctionKey, Record<string, string[]>> = {
    capture: {
      ...logs('capture'),
      ...DECIDE_TABLE,
      'ssm:GetAutomationExecution': [AUTOMATIONS],
      'codepipeline:GetPipeline': [PIPELINES],
      'codepipeline:GetPipelineState': [PIPELINES],
      'codepipeline:ListActionExecutions': [PIPELINES],
      ...PUBLISH,
      // Refusals only: a failure, a STOP, a Reject.
      'states:SendTaskFailure': [STATE_MACHINES],
      'imagebuilder:SendWorkflowStepAction': [IMAGES, STEP_EXECUTIONS],
      'ssm:SendAutomationSignal': [AUTOMATIONS],
      'lambda:SendDurableExecutionCallbackFailure': [DURABLE_EXECUTIONS],
      'codepipeline:PutApprovalResult': [APPROVAL_ACTIONS],
      ...deadLetters('capture'),
    },
    restApi: {
      ...logs('restApi'),
      ...DECIDE_TABLE,
      'dynamodb:BatchGetItem': [TABLE],
      'dynamodb:Query': [OPEN_INDEX],
      ...PUBLISH,
      ...RESUME,
      'ssm:GetParameter': [parameter('clients/*')],
    },
    iamApi: {
      ...logs('iamApi'),
      ...DECIDE_TABLE,
      'dynamodb:BatchGetItem': [TABLE],
      'dynamodb:Query': [OPEN_INDEX],
      ...PUBLISH,
      ...RESUME,
    },
    reviewPages: {
      ...logs('reviewPages'),
      ...DECIDE_TABLE,
      ...PUBLISH,
      ...RESUME,
      'ssm:GetParameter': [parameter('review-link-keys')],
    },
    inbox: {
      ...logs('inbox'),
      ...DECIDE_TABLE,
      'dynamodb:BatchGetItem': [TABLE],
      'dynamodb:Query': [OPEN_INDEX, CLOSED_INDEX],
      ...PUBLISH,
      ...RESUME,
      'ssm:GetParameter': [parameter('sso-oidc'), parameter('sso-session-keys')],
    },
    decisionEvents: {
      ...logs('decisionEvents'),
      ...DECIDE_TABLE,
      ...PUBLISH,
      ...RESUME,
      ...deadLetters('decisionEvents'),
    },
    slackInteractions: {
      ...logs('slackInteractions'),
      ...DECIDE_TABLE,
      ...PUBLISH,
      ...RESUME,
      'ssm:GetParameter': [parameter('slack-signing-secret'), parameter('slack-bot-token')],
    },
    notify: {
      ...logs('notify'),
      ...DECIDE_TABLE,
      'ses:SendEmail': [arnOf('ses', 'identity/*')],
      'ssm:GetParameter': [parameter('slack-bot-token'), parameter('review-link-keys')],
      ...deadLetters('notify'),
    },
    lifecycle: {
      ...logs('lifecycle'),
      ...DECIDE_TABLE,
      'dynamodb:BatchGetItem': [TABLE],
      'dynamodb:Query': [OPEN_INDEX, WORKFLOW_INDEX],
      ...PUBLISH,
      ...RESUME,
      'states:SendTaskHeartbeat': [STATE_MACHINES],
      'states:DescribeExecution': [EXECUTIONS],
      'imagebuilder:GetWorkflowStepExecution': [STEP_EXECUTIONS],
      'ssm:GetAutomationExecution': [AUTOMATIONS],
      'lambda:SendDurableExecutionCallbackHeartbeat': [DURABLE_EXECUTIONS],
      'lambda:GetDurableExecution': [DURABLE_EXECUTIONS],
      'codepipeline:GetPipelineState': [PIPELINES],
      'codepipeline:ListActionExecutions': [PIPELINES],
      ...deadLetters('lifecycle'),
    },
  };
  const HTTP_FACING: FunctionKey[] = ['restApi', 'iamApi', 'reviewPages', 'inbox', 'slackInteractions'];

  const allStatements = (): Dict[] => [
    ...ofType('AWS::IAM::Role').flatMap(([id]) => statementsOf(id)),
    ...ofType('AWS::IAM::Policy').flatMap(([, p]) => asList<Dict>(p.Properties.PolicyDocument.Statement)),
    ...ofType('AWS::IAM::ManagedPolicy').flatMap(([, p]) => asList<Dict>(p.Properties.PolicyDocument.Statement)),
  ];
  /** The role the function actually runs as (whatever it is named). */
  const roleOf = (key: FunctionKey): string => {
    const role = resources[FUNCTIONS[key]].Properties.Role;
    return Array.isArray(role?.['Fn::GetAtt']) ? role['Fn::GetAtt'][0] : String(role);
  };
  /** action → sorted resources, over every Allow statement of the role the function runs as. */
  const grantsOf = (key: FunctionKey): Record<string, string[]> => {
    const grants: Record<string, string[]> = {};
    for (const statement of statementsOf(roleOf(key)).filter((s) => s.Effect === 'Allow')) {
      for (const action of asList<string>(statement.Action)) {
        grants[action] = sorted([...(grants[action] ?? []), ...asList(statement.Resource).map(cfnString)]);
      }
    }
    return grants;
  };
  const actionsOf = (key: FunctionKey) => Object.keys(grantsOf(key));

  it('gives each function its own role, named greenlight-<stage>-<region>-<function>, and no role besides', () => {
    for (const key of FUNCTION_KEYS) {
      expect(resources[FUNCTIONS[key]].Properties.Role, key).toEqual({ 'Fn::GetAtt': [ROLES[key], 'Arn'] });
      expect(resources[ROLES[key]].Properties.RoleName, key).toEqual({
        'Fn::Sub': `greenlight-dev-\${AWS::Region}-${key}`,
      });
    }
    expect(sorted(ofType('AWS::IAM::Role').map(([id]) => id))).toEqual(sorted(Object.values(ROLES)));
    expect(ofType('AWS::IAM::Policy')).toEqual([]);
    expect(ofType('AWS::IAM::ManagedPolicy')).toEqual([]);
    expect(resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('lets only Lambda assume each role, and attaches no managed policy', () => {
    for (const key of FUNCTION_KEYS) {
      const role = resources[roleOf(key)].Properties;
      expect(role.AssumeRolePolicyDocument.Statement, key).toEqual([
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]);
      expect(role.ManagedPolicyArns, key).toBeUndefined();
    }
  });

  it('grants each role exactly the actions in the table, each on exactly its resources', () => {
    // One comparison over all functions, so a failure shows every missing, extra or mis-scoped grant at once.
    const actual = Object.fromEntries(FUNCTION_KEYS.map((key) => [key, grantsOf(key)]));
    const expected = Object.fromEntries(
      FUNCTION_KEYS.map((key) => [
        key,
        Object.fromEntries(Object.entries(GRANTS[key]).map(([action, scope]) => [action, sorted(scope)])),
      ]),
    );
    expect(actual).toEqual(expected);
  });

  it('names every action and every resource: no wildcard action, no Resource "*", no NotAction / NotResource', () => {
    const statements = allStatements();
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.NotAction).toBeUndefined();
      expect(statement.NotResource).toBeUndefined();
      for (const action of asList<string>(statement.Action)) expect(action).not.toContain('*');
      const scope = asList<unknown>(statement.Resource);
      expect(scope.length).toBeGreaterThan(0);
      for (const resource of scope) expect(cfnString(resource)).not.toBe('*');
    }
  });

  it('gives the HTTP-facing roles (restApi, iamApi, reviewPages, inbox, slackInteractions) no ses: action and only the resume calls of the decide use case', () => {
    for (const key of HTTP_FACING) {
      const actions = actionsOf(key);
      expect(
        actions.filter((action) => action.startsWith('ses:')),
        key,
      ).toEqual([]);
      // Calls on the waiting sources: the answers, nothing else (no probes, no GetAutomationExecution).
      const sourceCalls = actions.filter((action) => /^(states|imagebuilder|ssm|lambda|codepipeline):/.test(action));
      expect(sorted(sourceCalls.filter((action) => action !== 'ssm:GetParameter')), key).toEqual(
        sorted(RESUME_ACTIONS),
      );
    }
  });

  it('gives notify no resume call, and capture only the refusals (never SendTaskSuccess or a callback success)', () => {
    expect(actionsOf('notify').filter((action) => RESUME_ACTIONS.includes(action))).toEqual([]);
    expect(actionsOf('capture')).not.toContain('states:SendTaskSuccess');
    expect(actionsOf('capture')).not.toContain('lambda:SendDurableExecutionCallbackSuccess');
  });

  it('lets ses:SendEmail send only from the configured sender (ses:FromAddress)', () => {
    const sending = allStatements().filter((s) => asList(s.Action).includes('ses:SendEmail'));
    expect(sending).toHaveLength(1);
    for (const statement of sending) {
      expect(asList(statement.Action)).toEqual(['ses:SendEmail']);
      expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'approvals@example.com' } });
      expect(statement.Condition.StringEquals['ses:FromAddress']).toBe(
        resources.NotifyLambdaFunction.Properties.Environment.Variables.EMAIL_FROM_ADDRESS,
      );
    }
  });

  it('grants imagebuilder:SendWorkflowStepAction on both resource types it requires (image and workflowStepExecution)', () => {
    const answering = allStatements().filter((s) => asList(s.Action).includes('imagebuilder:SendWorkflowStepAction'));
    expect(answering.length).toBeGreaterThan(0);
    for (const statement of answering) {
      expect(sorted(asList(statement.Resource).map(cfnString))).toEqual(sorted([IMAGES, STEP_EXECUTIONS]));
    }
    const probing = allStatements().filter((s) => asList(s.Action).includes('imagebuilder:GetWorkflowStepExecution'));
    expect(probing.map((s) => asList(s.Resource).map(cfnString))).toEqual([[STEP_EXECUTIONS]]);
  });

  it('grants codepipeline:PutApprovalResult on the action resource type only, and the reads on the pipeline type', () => {
    // Service Authorization Reference: PutApprovalResult needs `action` (<pipeline>/<stage>/<action>); GetPipeline,
    // GetPipelineState and ListActionExecutions need `pipeline`.
    const statementsWith = (action: string) => allStatements().filter((s) => asList(s.Action).includes(action));
    const answering = statementsWith('codepipeline:PutApprovalResult');
    expect(answering.length).toBeGreaterThan(0);
    for (const statement of answering) {
      expect(asList(statement.Action)).toEqual(['codepipeline:PutApprovalResult']);
      expect(asList(statement.Resource).map(cfnString)).toEqual([APPROVAL_ACTIONS]);
    }
    for (const read of [
      'codepipeline:GetPipeline',
      'codepipeline:GetPipelineState',
      'codepipeline:ListActionExecutions',
    ]) {
      const reading = statementsWith(read);
      expect(reading.length, read).toBeGreaterThan(0);
      for (const statement of reading) expect(asList(statement.Resource).map(cfnString), read).toEqual([PIPELINES]);
    }
  });

  it("lets each role write logs to its own function's log group only", () => {
    for (const key of FUNCTION_KEYS) {
      const grants = grantsOf(key);
      expect(grants['logs:PutLogEvents'], key).toEqual([`\${${LOG_GROUPS[key]}.Arn}`]);
      expect(resources[LOG_GROUPS[key]].Properties.LogGroupName, key).toBe(`/aws/lambda/greenlight-dev-${key}`);
    }
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
/** Writes the archive's files under `into` (refusing paths that would leave it) and returns their names. */
function unzip(zip: Buffer, into: string): string[] {
  const entries = readZipEntries(zip);
  for (const [name, data] of entries) {
    const target = join(into, name);
    if (!target.startsWith(into)) throw new Error(`unsafe path in zip: ${name}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
  return [...entries.keys()];
}
