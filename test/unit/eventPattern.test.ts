// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is osls / CloudFormation syntax, not JS.
// Examples from the Amazon EventBridge User Guide (pages cited per block), run through our matcher.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { matchesEventPattern, UnsupportedEventPatternError } from '../../infra/local/eventPattern';
import { type EventRule, loadEventRules, rulesMatching } from '../../infra/local/eventRules';

const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};
const withDetail = (detail: Record<string, unknown>) => ({ ...ec2Event, detail });

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html (+ eb-create-pattern.html)
describe('event patterns: fields, nesting and values', () => {
  const terminated = {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
    detail: { state: ['terminated'] },
  };

  it('matches the documented EC2 termination pattern and ignores fields the pattern does not name', () => {
    expect(matchesEventPattern(terminated, ec2Event)).toBe(true);
  });

  it('needs every named field, with the same nesting and an exact, case-sensitive value', () => {
    expect(matchesEventPattern(terminated, withDetail({ state: 'running' }))).toBe(false);
    expect(matchesEventPattern(terminated, withDetail({ state: 'Terminated' }))).toBe(false);
    expect(matchesEventPattern(terminated, withDetail({}))).toBe(false);
    expect(matchesEventPattern(terminated, { ...ec2Event, state: 'terminated', detail: undefined })).toBe(false);
    expect(matchesEventPattern(terminated, { ...ec2Event, source: 'aws.ec2x' })).toBe(false);
  });

  it('ORs the values of a field ("source": ["aws.ec2", "aws.fargate"])', () => {
    const pattern = { source: ['aws.ec2', 'aws.fargate'] };
    expect(matchesEventPattern(pattern, { source: 'aws.fargate' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'aws.ec2' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'aws.s3' })).toBe(false);
  });

  it('matches numbers in nested objects (Macie: risk-score 80 and trigger.risk 8)', () => {
    const pattern = {
      source: ['aws.macie'],
      'detail-type': ['Macie Alert'],
      detail: { 'risk-score': [80], trigger: { risk: [8] } },
    };
    const macie = {
      source: 'aws.macie',
      'detail-type': 'Macie Alert',
      detail: { 'risk-score': 80, trigger: { risk: 8 } },
    };
    expect(matchesEventPattern(pattern, macie)).toBe(true);
    expect(matchesEventPattern(pattern, { ...macie, detail: { 'risk-score': 80, trigger: { risk: 7 } } })).toBe(false);
    expect(matchesEventPattern(pattern, { ...macie, detail: { 'risk-score': '80', trigger: { risk: 8 } } })).toBe(
      false,
    );
  });

  it('matches an empty pattern against any event', () => {
    expect(matchesEventPattern({}, ec2Event)).toBe(true);
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
describe('null values and empty strings', () => {
  const autoScaling = {
    'detail-type': 'EC2 Instance Launch Successful',
    source: 'aws.autoscaling',
    resources: [],
    detail: { eventVersion: '', responseElements: null },
  };

  it('matches "" and null as distinct values', () => {
    expect(matchesEventPattern({ detail: { eventVersion: [''] } }, autoScaling)).toBe(true);
    expect(matchesEventPattern({ detail: { responseElements: [null] } }, autoScaling)).toBe(true);
    expect(matchesEventPattern({ detail: { eventVersion: [null] } }, autoScaling)).toBe(false);
    expect(matchesEventPattern({ detail: { responseElements: [''] } }, autoScaling)).toBe(false);
  });

  it('does not treat a missing field as null', () => {
    expect(matchesEventPattern({ detail: { other: [null] } }, autoScaling)).toBe(false);
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
describe('arrays', () => {
  const pattern = {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };

  it('matches when the pattern array and the event array intersect', () => {
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(matchesEventPattern(pattern, event)).toBe(true);
  });

  it('does not match disjoint or empty arrays', () => {
    expect(
      matchesEventPattern(pattern, { resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'] }),
    ).toBe(false);
    expect(matchesEventPattern(pattern, { resources: [] })).toBe(false);
  });

  it('matches a nested pattern against any object of an array', () => {
    const nested = { detail: { steps: { name: ['approve'], status: ['Waiting'] } } };
    expect(
      matchesEventPattern(nested, {
        detail: {
          steps: [
            { name: 'build', status: 'Success' },
            { name: 'approve', status: 'Waiting' },
          ],
        },
      }),
    ).toBe(true);
    // Both fields must hold in the same element.
    expect(
      matchesEventPattern(nested, {
        detail: {
          steps: [
            { name: 'approve', status: 'Success' },
            { name: 'build', status: 'Waiting' },
          ],
        },
      }),
    ).toBe(false);
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
describe('comparison operators', () => {
  it('prefix: "time" starting with "2017-10-02"', () => {
    const pattern = { time: [{ prefix: '2017-10-02' }] };
    expect(matchesEventPattern(pattern, { time: '2017-10-02T18:43:48Z' })).toBe(true);
    expect(matchesEventPattern(pattern, { time: '2017-10-03T18:43:48Z' })).toBe(false);
    expect(matchesEventPattern({ Region: [{ prefix: 'us-' }] }, { Region: 'eu-west-1' })).toBe(false);
  });

  it('prefix with equals-ignore-case: service starting with "EventB" in any case', () => {
    const pattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    expect(matchesEventPattern(pattern, { detail: { service: 'eventbridge' } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { service: 'EVENTBRIDGE' } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { service: 'sqs' } })).toBe(false);
  });

  it('suffix: FileName ending in .png, and suffix with equals-ignore-case', () => {
    expect(matchesEventPattern({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' })).toBe(true);
    expect(matchesEventPattern({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' })).toBe(false);
    const ignoreCase = { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } };
    expect(matchesEventPattern(ignoreCase, { detail: { FileName: 'image.PNG' } })).toBe(true);
    expect(matchesEventPattern(ignoreCase, { detail: { FileName: 'image.jpg' } })).toBe(false);
  });

  it('equals-ignore-case: Name "alice" matches "Alice"', () => {
    const pattern = { Name: [{ 'equals-ignore-case': 'alice' }] };
    expect(matchesEventPattern(pattern, { Name: 'Alice' })).toBe(true);
    expect(matchesEventPattern(pattern, { Name: 'Alicia' })).toBe(false);
  });

  it('anything-but with a string, a number and lists of either', () => {
    const state = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(matchesEventPattern(state, withDetail({ state: 'running' }))).toBe(true);
    expect(matchesEventPattern(state, withDetail({ state: 'initializing' }))).toBe(false);

    const limit = { detail: { 'x-limit': [{ 'anything-but': 123 }] } };
    expect(matchesEventPattern(limit, withDetail({ 'x-limit': 124 }))).toBe(true);
    expect(matchesEventPattern(limit, withDetail({ 'x-limit': 123 }))).toBe(false);

    const states = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(matchesEventPattern(states, withDetail({ state: 'running' }))).toBe(true);
    expect(matchesEventPattern(states, withDetail({ state: 'overloaded' }))).toBe(false);

    const limits = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
    expect(matchesEventPattern(limits, withDetail({ 'x-limit': 150 }))).toBe(true);
    expect(matchesEventPattern(limits, withDetail({ 'x-limit': 200 }))).toBe(false);
  });

  it('anything-but needs the field to be present', () => {
    expect(matchesEventPattern({ detail: { state: [{ 'anything-but': 'initializing' }] } }, withDetail({}))).toBe(
      false,
    );
  });

  it('anything-but with prefix, suffix, equals-ignore-case and wildcard', () => {
    const notInit = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };
    expect(matchesEventPattern(notInit, withDetail({ state: 'running' }))).toBe(true);
    expect(matchesEventPattern(notInit, withDetail({ state: 'initializing' }))).toBe(false);

    const notUs = { Region: [{ 'anything-but': { prefix: 'us-' } }] };
    expect(matchesEventPattern(notUs, { Region: 'eu-west-1' })).toBe(true);
    expect(matchesEventPattern(notUs, { Region: 'us-east-1' })).toBe(false);

    const notPng = { FileName: [{ 'anything-but': { suffix: '.png' } }] };
    expect(matchesEventPattern(notPng, { FileName: 'a.jpg' })).toBe(true);
    expect(matchesEventPattern(notPng, { FileName: 'a.png' })).toBe(false);

    const notInitializing = { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] };
    expect(matchesEventPattern(notInitializing, { state: 'running' })).toBe(true);
    expect(matchesEventPattern(notInitializing, { state: 'INITIALIZING' })).toBe(false);

    const notLib = { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] };
    expect(matchesEventPattern(notLib, { FilePath: 'src/app/main.ts' })).toBe(true);
    expect(matchesEventPattern(notLib, { FilePath: 'src/lib/util.ts' })).toBe(false);
  });

  it('numeric: ranges and equality, all fields ANDed', () => {
    const pattern = {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    };
    expect(matchesEventPattern(pattern, withDetail({ 'c-count': 5, 'd-count': 9.5, 'x-limit': 301.8 }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ 'c-count': 0, 'd-count': 9, 'x-limit': 301.8 }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail({ 'c-count': 6, 'd-count': 9, 'x-limit': 301.8 }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail({ 'c-count': 3, 'd-count': 10, 'x-limit': 301.8 }))).toBe(false);
    // Numeric matching applies to JSON numbers only.
    expect(matchesEventPattern(pattern, withDetail({ 'c-count': '3', 'd-count': 9, 'x-limit': 301.8 }))).toBe(false);
  });

  it('exists: true needs the leaf, false needs it absent; an object is not a leaf', () => {
    const hasState = { detail: { state: [{ exists: true }] } };
    expect(matchesEventPattern(hasState, withDetail({ 'instance-id': 'i-abcd1111', state: 'pending' }))).toBe(true);
    expect(matchesEventPattern(hasState, withDetail({ 'c-count': { c1: 100 } }))).toBe(false);

    const noCount = { detail: { 'c-count': [{ exists: false }] } };
    expect(matchesEventPattern(noCount, withDetail({ state: ['initializing', 'running'] }))).toBe(true);
    expect(matchesEventPattern(noCount, withDetail({ state: 'running', 'c-count': { c1: 100 } }))).toBe(true);
    expect(matchesEventPattern(noCount, withDetail({ 'c-count': 3 }))).toBe(false);
  });

  it('wildcard: * matches any run of characters; \\* and \\\\ are literals', () => {
    const busArn = { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] };
    expect(matchesEventPattern(busArn, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders' })).toBe(
      true,
    );
    expect(matchesEventPattern(busArn, { EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/orders' })).toBe(
      false,
    );
    expect(matchesEventPattern({ FileName: [{ wildcard: '*.png' }] }, { FileName: '.png' })).toBe(true);
    expect(matchesEventPattern({ FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'other/a.png' })).toBe(false);
    expect(matchesEventPattern({ v: [{ wildcard: 'a\\*b' }] }, { v: 'a*b' })).toBe(true);
    expect(matchesEventPattern({ v: [{ wildcard: 'a\\*b' }] }, { v: 'axxb' })).toBe(false);
    expect(matchesEventPattern({ v: [{ wildcard: 'a\\\\b' }] }, { v: 'a\\b' })).toBe(true);
    expect(matchesEventPattern({ v: [{ wildcard: 'a.c' }] }, { v: 'abc' })).toBe(false);
  });

  it('$or: any one of the sub-patterns, combined with the other fields', () => {
    const pattern = {
      source: ['aws.ec2'],
      detail: {
        $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }],
      },
    };
    expect(matchesEventPattern(pattern, withDetail({ 'd-count': 3 }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ 'c-count': 4 }))).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ 'c-count': 9, 'd-count': 11 }))).toBe(false);
    expect(matchesEventPattern(pattern, { ...withDetail({ 'd-count': 3 }), source: 'aws.s3' })).toBe(false);
  });

  it('combines operators (the documented complex example)', () => {
    const pattern = {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    };
    const event = {
      time: '2017-10-02T18:43:48Z',
      detail: { state: 'running', 'c-count': 1, 'd-count': 2, 'x-limit': 150 },
    };
    expect(matchesEventPattern(pattern, event)).toBe(true);
    expect(matchesEventPattern(pattern, { ...event, detail: { ...event.detail, 'x-limit': 300 } })).toBe(false);
  });
});

describe('patterns the local stack cannot evaluate faithfully', () => {
  it('throws instead of guessing', () => {
    const cidr = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };
    expect(() => matchesEventPattern(cidr, withDetail({ sourceIPAddress: '10.0.0.1' }))).toThrow(
      UnsupportedEventPatternError,
    );
    expect(() => matchesEventPattern({ source: 'aws.ec2' }, ec2Event)).toThrow(UnsupportedEventPatternError);
    expect(() => matchesEventPattern({ n: [{ numeric: ['~', 1] }] }, { n: 1 })).toThrow(UnsupportedEventPatternError);
  });
});

// The local stack's routing table comes from the real serverless.yml, so these tests pin what is deployed.
describe('loadEventRules / rulesMatching against serverless.yml', () => {
  const root = new URL('../../', import.meta.url);
  const sample = (path: string) => JSON.parse(readFileSync(new URL(`events/${path}`, root), 'utf8'));
  const rules = loadEventRules(fileURLToPath(new URL('serverless.yml', root)));
  const names = (matched: EventRule[]) => matched.map((r) => r.ruleName);

  it('reads the four capture rules, the decision rule, the notify rule and the five lifecycle rules, with their bus and exact pattern, resolving ${sls:stage} to "local" (the lifecycle schedule has no pattern and is skipped)', () => {
    expect(rules).toEqual([
      {
        functionName: 'capture',
        handler: 'functions/capture.handler',
        bus: 'custom',
        ruleName: 'greenlight-local-sfn-approval-requested',
        pattern: { 'detail-type': ['Approval Requested'] },
      },
      {
        functionName: 'capture',
        handler: 'functions/capture.handler',
        bus: 'default',
        ruleName: 'greenlight-local-imagebuilder-step-waiting',
        pattern: { source: ['aws.imagebuilder'], 'detail-type': ['EC2 Image Builder Workflow Step Waiting'] },
      },
      {
        functionName: 'capture',
        handler: 'functions/capture.handler',
        bus: 'default',
        ruleName: 'greenlight-local-ssm-automation-waiting',
        pattern: {
          source: ['aws.ssm'],
          'detail-type': [
            'EC2 Automation Step Status-change Notification',
            'EC2 Automation Execution Status-change Notification',
          ],
          detail: { Status: ['Waiting'] },
        },
      },
      {
        functionName: 'capture',
        handler: 'functions/capture.handler',
        bus: 'default',
        ruleName: 'greenlight-local-codepipeline-approval-started',
        pattern: {
          source: ['aws.codepipeline'],
          'detail-type': ['CodePipeline Action Execution State Change'],
          detail: { state: ['STARTED'], type: { category: ['Approval'], provider: ['Manual'] } },
        },
      },
      {
        functionName: 'decisionEvents',
        handler: 'functions/decisionEvents.handler',
        bus: 'decisions',
        ruleName: 'greenlight-local-approval-decision',
        pattern: { 'detail-type': ['Approval Decision'] },
      },
      {
        functionName: 'notify',
        handler: 'functions/notify.handler',
        bus: 'custom',
        ruleName: 'greenlight-local-notify',
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
      },
      {
        functionName: 'lifecycle',
        handler: 'functions/lifecycle.handler',
        bus: 'default',
        ruleName: 'greenlight-local-sfn-execution-ended',
        pattern: {
          source: ['aws.states'],
          'detail-type': ['Step Functions Execution Status Change'],
          detail: { status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] },
        },
      },
      {
        functionName: 'lifecycle',
        handler: 'functions/lifecycle.handler',
        bus: 'default',
        ruleName: 'greenlight-local-image-ended',
        pattern: {
          source: ['aws.imagebuilder'],
          'detail-type': ['EC2 Image Builder Image State Change'],
          detail: { state: { status: ['AVAILABLE', 'FAILED', 'CANCELLED', 'DELETED'] } },
        },
      },
      {
        functionName: 'lifecycle',
        handler: 'functions/lifecycle.handler',
        bus: 'default',
        ruleName: 'greenlight-local-automation-ended',
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
      },
      {
        functionName: 'lifecycle',
        handler: 'functions/lifecycle.handler',
        bus: 'default',
        ruleName: 'greenlight-local-durable-execution-ended',
        pattern: {
          source: ['aws.lambda'],
          'detail-type': ['Durable Execution Status Change'],
          detail: { status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED'] },
        },
      },
      {
        functionName: 'lifecycle',
        handler: 'functions/lifecycle.handler',
        bus: 'default',
        ruleName: 'greenlight-local-codepipeline-approval-ended',
        pattern: {
          source: ['aws.codepipeline'],
          'detail-type': ['CodePipeline Action Execution State Change'],
          detail: {
            state: ['SUCCEEDED', 'FAILED', 'ABANDONED', 'CANCELED'],
            type: { category: ['Approval'], provider: ['Manual'] },
          },
        },
      },
    ]);
    expect(rules).toHaveLength(11);
    expect(names(rules)).not.toContain('greenlight-local-lifecycle-sweep');
  });

  it('routes a Step Functions "Approval Requested" event on the custom bus only, whatever its source', () => {
    const event = sample('stepfunctions/approval-requested.json');
    expect(names(rulesMatching(rules, event, 'custom'))).toEqual(['greenlight-local-sfn-approval-requested']);
    expect(rulesMatching(rules, { ...event, source: 'another.caller' }, 'custom')).toHaveLength(1);
    expect(rulesMatching(rules, event, 'default')).toEqual([]);
    expect(rulesMatching(rules, { ...event, 'detail-type': 'Approval Granted' }, 'custom')).toEqual([]);
  });

  it('routes a Lambda durable function\'s "Approval Requested" event to capture on the custom bus, by the same rule', () => {
    const event = sample('lambda/approval-requested.json');
    expect(names(rulesMatching(rules, event, 'custom'))).toEqual(['greenlight-local-sfn-approval-requested']);
    expect(rulesMatching(rules, event, 'default')).toEqual([]);
  });

  it('routes an "Approval Decision" event on the decisions bus to decisionEvents only, whatever its source, and not on the request bus', () => {
    const event = {
      version: '0',
      id: '3f1c2a9e-5b7d-4c1e-9a0b-7d6e5f4c3b2a',
      'detail-type': 'Approval Decision',
      source: 'com.example.release-bot',
      account: '111122223333',
      time: '2025-01-15T10:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: {
        approvalId: 'apr_0123456789abcdef0123456789abcdef',
        decision: 'approve',
        approver: 'email:alice@example.com',
      },
    };
    const matched = rulesMatching(rules, event, 'decisions');
    expect(matched.map((r) => [r.ruleName, r.functionName, r.handler])).toEqual([
      ['greenlight-local-approval-decision', 'decisionEvents', 'functions/decisionEvents.handler'],
    ]);
    expect(names(rulesMatching(rules, { ...event, source: 'greenlight' }, 'decisions'))).toEqual([
      'greenlight-local-approval-decision',
    ]);
    expect(rulesMatching(rules, event, 'default')).toEqual([]);
    expect(rulesMatching(rules, event, 'custom')).toEqual([]);
    expect(rulesMatching(rules, { ...event, 'detail-type': 'approval decision' }, 'decisions')).toEqual([]);
    // Greenlight's own events on its bus reach notify only: none is fed back into capture or decisionEvents.
    for (const type of [
      'Approval Opened',
      'Approval Vote Recorded',
      'Approval Decided',
      'Approval Closed',
      'Approval Reminder Due',
    ]) {
      const own = { ...event, source: 'greenlight', 'detail-type': type };
      expect(names(rulesMatching(rules, own, 'custom')), type).toEqual(['greenlight-local-notify']);
    }
    // And an "Approval Requested" event never reaches decisionEvents.
    const requested = sample('stepfunctions/approval-requested.json');
    expect(rulesMatching(rules, requested, 'custom').map((r) => r.functionName)).toEqual(['capture']);
  });

  it('routes Greenlight\'s own "Approval Decided" event on the custom bus to notify only, and only from source greenlight', () => {
    const event = {
      version: '0',
      id: '9b2d4e6f-8a1c-4e3b-b5d7-0f2e4a6c8e1d',
      'detail-type': 'Approval Decided',
      source: 'greenlight',
      account: '111122223333',
      time: '2025-01-15T10:05:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { approvalId: 'apr_0123456789abcdef0123456789abcdef' },
    };
    const matched = rulesMatching(rules, event, 'custom');
    expect(matched.map((r) => [r.ruleName, r.functionName, r.handler])).toEqual([
      ['greenlight-local-notify', 'notify', 'functions/notify.handler'],
    ]);
    // Anyone else may put an event with that detail-type on the bus; it reaches no function.
    expect(rulesMatching(rules, { ...event, source: 'com.example.release-bot' }, 'custom')).toEqual([]);
    expect(rulesMatching(rules, { ...event, source: 'Greenlight' }, 'custom')).toEqual([]);
    // Not on the default bus, and not for a detail-type the rule does not name.
    expect(rulesMatching(rules, event, 'default')).toEqual([]);
    expect(
      rulesMatching(rules, { ...event, 'detail-type': 'Approval Requested' }, 'custom').map((r) => r.functionName),
    ).toEqual(['capture']);
    expect(rulesMatching(rules, { ...event, 'detail-type': 'Approval Expired' }, 'custom')).toEqual([]);
  });

  it('routes the Image Builder waiting step on the default bus only', () => {
    const event = sample('imagebuilder/workflow-step-waiting.json');
    expect(names(rulesMatching(rules, event, 'default'))).toEqual(['greenlight-local-imagebuilder-step-waiting']);
    expect(rulesMatching(rules, event, 'custom')).toEqual([]);
    expect(rulesMatching(rules, { ...event, source: 'com.example.fake' }, 'default')).toEqual([]);
    // An image's state change is not a waiting step: it reaches lifecycle, never capture.
    expect(
      rulesMatching(rules, sample('imagebuilder/image-state-change-available.json'), 'default').map(
        (r) => r.functionName,
      ),
    ).toEqual(['lifecycle']);
  });

  it('routes SSM Automation step and execution notifications to capture only while Waiting', () => {
    for (const file of ['ssm/automation-step-waiting.json', 'ssm/automation-execution-waiting.json']) {
      const event = sample(file);
      expect(names(rulesMatching(rules, event, 'default'))).toEqual(['greenlight-local-ssm-automation-waiting']);
      expect(rulesMatching(rules, event, 'custom')).toEqual([]);
      expect(rulesMatching(rules, { ...event, detail: { ...event.detail, Status: 'InProgress' } }, 'default')).toEqual(
        [],
      );
      expect(rulesMatching(rules, { ...event, source: 'com.example.fake' }, 'default')).toEqual([]);
    }
    // A waiting execution reaches capture only: Waiting is not an ending, so lifecycle does not see it.
    const waiting = sample('ssm/automation-execution-waiting.json');
    expect(rulesMatching(rules, waiting, 'default').map((r) => [r.ruleName, r.functionName])).toEqual([
      ['greenlight-local-ssm-automation-waiting', 'capture'],
    ]);
    // An ended execution never reaches capture.
    expect(
      rulesMatching(rules, sample('ssm/automation-execution-success.json'), 'default').map((r) => r.functionName),
    ).not.toContain('capture');
  });

  it.each([
    ['stepfunctions/execution-status-change-aborted.json', 'greenlight-local-sfn-execution-ended'],
    ['stepfunctions/execution-status-change-succeeded.json', 'greenlight-local-sfn-execution-ended'],
    ['imagebuilder/image-state-change-failed.json', 'greenlight-local-image-ended'],
    ['imagebuilder/image-state-change-available.json', 'greenlight-local-image-ended'],
    ['ssm/automation-execution-success.json', 'greenlight-local-automation-ended'],
    ['lambda/durable-execution-status-change-succeeded.json', 'greenlight-local-durable-execution-ended'],
    ['lambda/durable-execution-status-change-stopped.json', 'greenlight-local-durable-execution-ended'],
    ['lambda/durable-execution-status-change-timed-out.json', 'greenlight-local-durable-execution-ended'],
    ['codepipeline/action-execution-succeeded.json', 'greenlight-local-codepipeline-approval-ended'],
    ['codepipeline/action-execution-abandoned.json', 'greenlight-local-codepipeline-approval-ended'],
  ])('routes the ended workflow %s on the default bus to lifecycle only', (file, ruleName) => {
    const event = sample(file);
    expect(rulesMatching(rules, event, 'default').map((r) => [r.ruleName, r.functionName, r.handler])).toEqual([
      [ruleName, 'lifecycle', 'functions/lifecycle.handler'],
    ]);
    expect(rulesMatching(rules, event, 'custom')).toEqual([]);
    expect(rulesMatching(rules, { ...event, source: 'com.example.fake' }, 'default')).toEqual([]);
  });

  it('routes a CodePipeline Manual approval STARTED event (nested type.category / type.provider) to capture only', () => {
    // Prepare
    const started = sample('codepipeline/action-execution-started.json');
    const deployStarted = structuredClone(started);
    deployStarted.detail.type = { owner: 'AWS', category: 'Deploy', provider: 'CodeDeploy', version: 1 };
    // Act
    const routed = rulesMatching(rules, started, 'default').map((r) => [r.ruleName, r.functionName]);
    // Assess
    expect(routed).toEqual([['greenlight-local-codepipeline-approval-started', 'capture']]);
    expect(rulesMatching(rules, deployStarted, 'default')).toEqual([]);
    // "Stop and wait" leaves the approval answerable: the pipeline's own STOPPED event reaches nobody.
    expect(rulesMatching(rules, sample('codepipeline/pipeline-execution-stopped.json'), 'default')).toEqual([]);
  });

  it('ignores workflows that have not ended and events no rule asks for', () => {
    const execution = sample('stepfunctions/execution-status-change-aborted.json');
    const running = { ...execution, detail: { ...execution.detail, status: 'RUNNING' } };
    const image = sample('imagebuilder/image-state-change-failed.json');
    const building = { ...image, detail: { ...image.detail, state: { status: 'BUILDING' } } };
    const automation = sample('ssm/automation-execution-success.json');
    const inProgress = { ...automation, detail: { ...automation.detail, Status: 'InProgress' } };
    // A step's status change is not the execution's ending, even with an ending status.
    const stepSuccess = { ...automation, 'detail-type': 'EC2 Automation Step Status-change Notification' };
    const durable = sample('lambda/durable-execution-status-change-stopped.json');
    const durableRunning = { ...durable, detail: { ...durable.detail, status: 'RUNNING' } };
    for (const [label, event] of Object.entries({ running, building, inProgress, stepSuccess, durableRunning })) {
      expect(rulesMatching(rules, event, 'default'), label).toEqual([]);
      expect(rulesMatching(rules, event, 'custom'), label).toEqual([]);
    }
  });

  it('keeps other osls variables literal, skips disabled and schedule rules, and refuses input transformers', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'greenlight-rules-'));
    const write = (text: string) => {
      const path = join(dir, `sls-${Math.random().toString(36).slice(2)}.yml`);
      writeFileSync(path, text);
      return path;
    };
    try {
      const path = write(
        [
          'functions:',
          '  a:',
          '    handler: functions/a.handler',
          '    events:',
          '      - eventBridge:',
          '          eventBus: !Ref SomeBus',
          '          pattern: { source: ["${self:custom.source}"], detail-type: ["${sls:stage}-x"] }',
          '      - eventBridge: { enabled: false, pattern: { source: [off] } }',
          '      - eventBridge: { schedule: rate(5 minutes) }',
          '      - eventBridge: { eventBus: "arn:aws:events:us-east-1:111122223333:event-bus/default", pattern: { source: [s] } }',
          '      - http: { path: /x, method: get }',
        ].join('\n'),
      );
      // Act
      const loaded = loadEventRules(path);
      // Assess
      expect(loaded).toEqual([
        {
          functionName: 'a',
          handler: 'functions/a.handler',
          bus: 'custom',
          pattern: { source: ['${self:custom.source}'], 'detail-type': ['local-x'] },
        },
        { functionName: 'a', handler: 'functions/a.handler', bus: 'default', pattern: { source: ['s'] } },
      ]);
      const transformer = write(
        'functions:\n  a:\n    handler: h.h\n    events:\n      - eventBridge: { pattern: { source: [s] }, inputPath: $.detail }\n',
      );
      expect(() => loadEventRules(transformer)).toThrow(/inputPath/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
