/**
 * Notifications on the local stack: Slack (Web API stand-in, the functions' own fetch client) and e-mail (SES v2
 * stand-in, real SDK client) follow every approval from capture to its final state.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/localStack';
import { openApproval, SOURCE_KINDS, type SourceKind } from '../../shared/domain/approval';
import { createDocumentClient } from '../../shared/runtime/createDocumentClient';
import { DynamoDeliveryStore } from '../../shared/store/dynamoDeliveryStore';
import { type Channel, DecisionHarness } from '../support/decisionHarness';

/** The default wait of most sources (openApproval's third argument). */
const SEVEN_DAYS = 7 * 24 * 60 * 60;

let stack: LocalStack;
let harness: DecisionHarness;
let deliveries: DynamoDeliveryStore;

beforeAll(async () => {
  process.env.LOG_LEVEL = 'SILENT'; // failures are logged on purpose here; the assertions read the recorded state
  stack = await startLocalStack();
  harness = new DecisionHarness(stack);
  deliveries = new DynamoDeliveryStore(createDocumentClient(), process.env.APPROVALS_TABLE_NAME as string);
});
afterAll(async () => {
  harness?.close();
  await stack?.close();
});
beforeEach(() => {
  stack.slack.clearFaults();
});

const SOURCES: readonly SourceKind[] = SOURCE_KINDS;
const EXPECTED_CHANNEL: Record<SourceKind, string> = {
  stepfunctions: '#approvals',
  imagebuilder: '#golden-images',
  ssm: '#approvals',
  lambda: '#approvals',
  codepipeline: '#approvals',
};

function emailsFor(approvalId: string) {
  return stack.standins.ses.sentEmails().filter((email) => (email.text ?? '').includes(`/review/${approvalId}?t=`));
}

function buttonsOf(blocks: unknown[] | undefined) {
  return (blocks as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }> | undefined)
    ?.filter((block) => block.type === 'actions')
    .flatMap((block) => block.elements ?? []);
}

describe('capture tells the approvers', () => {
  it.each(SOURCES)(
    '%s: a Slack message with buttons carrying only the approval id, and one e-mail per approver',
    async (source) => {
      // Act
      const workflow = await harness.openWaiting(source);
      // Assess: Slack
      const message = harness.slackMessageOf(workflow.approvalId);
      expect(message?.channel).toBe(EXPECTED_CHANNEL[source]);
      const buttons = buttonsOf(message?.blocks) ?? [];
      expect(buttons.map((button) => button.action_id).sort()).toEqual([
        'greenlight.approve',
        'greenlight.comment',
        'greenlight.reject',
      ]);
      for (const button of buttons) expect(button.value).toBe(workflow.approvalId);
      // Assess: e-mail, each with its recipient's own review link that opens the review page as that recipient
      const emails = emailsFor(workflow.approvalId);
      expect(emails.flatMap((email) => email.to).sort()).toEqual(['alice@example.com', 'carol@example.com']);
      for (const email of emails) {
        expect(email.html).toContain(`/review/${workflow.approvalId}?t=`);
        const link =
          /(http:\/\/127\.0\.0\.1:\d+\/review\/apr_[0-9a-f]{32}\?t=[A-Za-z0-9._-]+)/.exec(email.text ?? '')?.[1] ?? '';
        const page = await harness.http('GET', new URL(link).pathname + new URL(link).search);
        expect(page.statusCode).toBe(200);
        // People are shown by name from the people map, with the identity the link was signed for.
        expect(page.body).toContain('You are reviewing as <strong>');
        expect(page.body).toContain(`(email:${email.to[0]})</strong>`);
      }
      // Assess: no task token anywhere in what was sent
      if (workflow.taskToken) {
        const sent = JSON.stringify([message, emails]);
        expect(sent).not.toContain(workflow.taskToken);
        expect(sent).not.toContain(workflow.taskToken.slice(0, 40));
      }
    },
  );
});

describe('the Slack message follows every state change exactly once, whichever channel decided', () => {
  const CHANNELS: Channel[] = ['slack', 'review-link', 'rest', 'eventbridge'];

  it.each(CHANNELS)('approved via %s: one update, outcome shown, buttons gone', async (channel) => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions');
    expect(harness.slackMessageOf(workflow.approvalId)?.updates).toBe(0);
    // Act
    await harness.decide(channel, workflow.approvalId, 'approve');
    // Assess
    const message = harness.slackMessageOf(workflow.approvalId);
    expect((await stack.store.get(workflow.approvalId))?.status).toBe('approved');
    expect(message?.updates).toBe(1);
    expect(buttonsOf(message?.blocks)).toEqual([]);
    expect(JSON.stringify(message?.blocks)).toMatch(/Approved/);
  });

  it('a quorum of two: one update for the vote, one for the decision', async () => {
    const workflow = await harness.openWaiting('stepfunctions', { requiredApprovals: 2 });
    await harness.decide('slack', workflow.approvalId, 'approve', 'email:alice@example.com');
    expect(harness.slackMessageOf(workflow.approvalId)?.updates).toBe(1);
    await harness.decide('rest', workflow.approvalId, 'approve', 'email:carol@example.com');
    expect(harness.slackMessageOf(workflow.approvalId)?.updates).toBe(2);
  });

  it('an unauthorised clicker gets an ephemeral explanation and nothing changes', async () => {
    // Prepare
    const workflow = await harness.openWaiting('ssm');
    const before = await stack.store.get(workflow.approvalId);
    // Act
    const reply = await harness.slackClick(workflow.approvalId, 'approve', 'U0STRANGER');
    // Assess
    expect(reply.statusCode).toBe(200);
    const ephemeral = stack.slack.ephemeralMessages().filter((message) => message.user === 'U0STRANGER');
    expect(ephemeral.at(-1)?.text).toMatch(/not an approver/);
    expect(await stack.store.get(workflow.approvalId)).toEqual(before);
    expect(harness.slackMessageOf(workflow.approvalId)?.updates).toBe(0);
    expect(harness.answerCalls(workflow)).toHaveLength(0);
  });
});

describe('Slack requests are verified', () => {
  it.each([
    ['a tampered body', { tamper: true }],
    ['an old timestamp', { timestamp: Math.floor(Date.now() / 1000) - 301 }],
    ['a missing signature header', { signature: null }],
  ] as const)('%s → 401 and nothing changes', async (_name, options) => {
    // Prepare
    const workflow = await harness.openWaiting('imagebuilder');
    const before = await stack.store.get(workflow.approvalId);
    // Act
    const reply = await harness.slackClick(workflow.approvalId, 'approve', 'U024BE7LH', options);
    // Assess
    expect(reply.statusCode).toBe(401);
    expect(JSON.parse(reply.body).error.code).toBe('invalid_signature');
    expect(await stack.store.get(workflow.approvalId)).toEqual(before);
    expect(harness.answerCalls(workflow)).toHaveLength(0);
  });

  it.each([
    ['another workspace (team.id)', { teamId: 'T0ELSEWHERE' }],
    ['another Slack app (api_app_id)', { appId: 'A0ELSEWHERE' }],
  ] as const)(
    'a correctly signed click from %s → 401 like a bad signature; no vote, nothing changes',
    async (_name, origin) => {
      // Prepare
      const workflow = await harness.openWaiting('stepfunctions', { requiredApprovals: 2 });
      const before = await stack.store.get(workflow.approvalId);
      const ephemeralBefore = stack.slack.ephemeralMessages().length;
      // Act
      const reply = await harness.slackClick(workflow.approvalId, 'approve', 'U024BE7LH', origin);
      // Assess
      expect(reply.statusCode).toBe(401);
      expect(JSON.parse(reply.body).error.code).toBe('invalid_signature');
      const after = await stack.store.get(workflow.approvalId);
      expect(after).toEqual(before);
      expect(after?.votes).toEqual([]);
      expect(harness.answerCalls(workflow)).toHaveLength(0);
      expect(harness.slackMessageOf(workflow.approvalId)?.updates).toBe(0);
      expect(stack.slack.ephemeralMessages()).toHaveLength(ephemeralBefore);
    },
  );

  it('a correctly signed modal submission from another workspace → 401; no vote', async () => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions', { requiredApprovals: 2 });
    const before = await stack.store.get(workflow.approvalId);
    // Act
    const reply = await harness.slackInteraction({
      type: 'view_submission',
      ...harness.slackOrigin({ teamId: 'T0ELSEWHERE' }),
      user: { id: 'U024BE7LH' },
      view: {
        callback_id: 'greenlight.comment',
        private_metadata: workflow.approvalId,
        state: {
          values: {
            decision: { decision: { selected_option: { value: 'approve' } } },
            comment: { comment: { value: 'from elsewhere' } },
          },
        },
      },
    });
    // Assess
    expect(reply.statusCode).toBe(401);
    expect(JSON.parse(reply.body).error.code).toBe('invalid_signature');
    expect(await stack.store.get(workflow.approvalId)).toEqual(before);
  });

  it('the same click from the configured workspace and app is accepted and its vote counts', async () => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions', { requiredApprovals: 2 });
    // Act
    const reply = await harness.slackClick(workflow.approvalId, 'approve', 'U024BE7LH');
    // Assess
    expect(reply.statusCode).toBe(200);
    const after = await stack.store.get(workflow.approvalId);
    expect(after?.status).toBe('pending');
    expect(after?.votes.map((vote) => ({ decision: vote.decision, channel: vote.channel }))).toEqual([
      { decision: 'approve', channel: 'slack' },
    ]);
    expect(harness.slackMessageOf(workflow.approvalId)?.updates).toBe(1);
  });

  it('with SLACK_TEAM_ID and SLACK_APP_ID empty, the origin is not checked', async () => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions', { requiredApprovals: 2 });
    const configured = { team: process.env.SLACK_TEAM_ID, app: process.env.SLACK_APP_ID };
    process.env.SLACK_TEAM_ID = '';
    process.env.SLACK_APP_ID = '';
    try {
      // Act
      const reply = await harness.slackClick(workflow.approvalId, 'approve', 'U024BE7LH', {
        teamId: 'T0ELSEWHERE',
        appId: 'A0ELSEWHERE',
      });
      // Assess
      expect(reply.statusCode).toBe(200);
      expect((await stack.store.get(workflow.approvalId))?.votes).toHaveLength(1);
    } finally {
      Object.assign(process.env, { SLACK_TEAM_ID: configured.team ?? '', SLACK_APP_ID: configured.app ?? '' });
    }
  });
});

describe('Slack and SES failures never lose or block an approval', () => {
  it('a 429 on post and a 500 on update are retried; the approval completes and the message is right', async () => {
    // Prepare
    stack.slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    const workflow = await harness.openWaiting('stepfunctions');
    stack.slack.failNext('chat.update', { status: 500, times: 2 });
    // Act
    const reply = await harness.decide('rest', workflow.approvalId, 'approve');
    // Assess
    expect(reply?.statusCode).toBe(200);
    expect((await stack.store.get(workflow.approvalId))?.status).toBe('approved');
    expect(harness.answerCalls(workflow)).toHaveLength(1);
    const message = harness.slackMessageOf(workflow.approvalId);
    expect(message?.updates).toBe(1);
    expect(buttonsOf(message?.blocks)).toEqual([]);
    expect(stack.slack.callsTo('chat.postMessage').filter((call) => call.status === 429).length).toBeGreaterThan(0);
  }, 20_000);

  it('Slack down for longer than the client retries: the approval still completes; the delivery is recorded for retry', async () => {
    // Prepare: every Slack call fails (the client retries 3 times, Lambda's async retries twice more)
    stack.slack.failNext('*', { status: 503, times: 100 });
    const workflow = await harness.openWaiting('ssm');
    // Act
    const reply = await harness.decide('rest', workflow.approvalId, 'approve');
    stack.slack.clearFaults();
    // Assess
    expect(reply?.statusCode).toBe(200);
    expect((await stack.store.get(workflow.approvalId))?.status).toBe('approved');
    expect((await deliveries.get(workflow.approvalId))?.slack).toMatchObject({
      status: 'retrying',
      lastError: expect.any(String),
    });
    expect(stack.functions.deadLetters.some((letter) => letter.functionName === 'notify')).toBe(true);
  }, 60_000);

  it('a permanent refusal (channel_not_found) is recorded as failed and not retried', async () => {
    stack.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    const workflow = await harness.openWaiting('imagebuilder');
    expect((await deliveries.get(workflow.approvalId))?.slack).toMatchObject({
      status: 'failed',
      lastError: 'channel_not_found',
    });
    const reply = await harness.decide('rest', workflow.approvalId, 'approve');
    expect(reply?.statusCode).toBe(200);
    expect((await stack.store.get(workflow.approvalId))?.status).toBe('approved');
  });

  it('SES throttling beyond the SDK retries is retried by the next attempt: each approver gets exactly one e-mail', async () => {
    // Prepare: the SDK's 3 attempts all throttled, then SES recovers
    stack.standins.failNext('sesv2', 'SendEmail', { status: 429, times: 3 });
    // Act
    const workflow = await harness.openWaiting('stepfunctions');
    // Assess
    const emails = emailsFor(workflow.approvalId);
    expect(emails.map((email) => email.to[0]).sort()).toEqual(['alice@example.com', 'carol@example.com']);
    const state = await deliveries.get(workflow.approvalId);
    expect(Object.values(state?.emails ?? {}).map((email) => email.status)).toEqual(['sent', 'sent']);
  }, 30_000);
});

describe('two notifiers at the same moment', () => {
  it('post one Slack message and send each e-mail once: the first claims the deliveries, the second waits', async () => {
    // Prepare: an approval stored without its "Approval Opened" having been handled yet
    const approval = openApproval(
      {
        source: 'stepfunctions',
        naturalKey: `token-${randomUUID()}`,
        sourceRef: {
          kind: 'stepfunctions',
          taskToken: 'unused',
          executionArn: 'arn:aws:states:us-east-1:111122223333:execution:x:y',
        },
        workflowRef: 'arn:aws:states:us-east-1:111122223333:execution:x:y',
        title: 'Two notifiers',
        approvers: ['person:alice', 'person:carol'],
      },
      new Date(),
      SEVEN_DAYS,
    );
    await stack.store.create(approval);
    const opened = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Approval Opened',
      source: 'greenlight',
      account: '111122223333',
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: [],
      detail: { approvalId: approval.id },
    };
    const postsBefore = stack.slack.callsTo('chat.postMessage').length;
    // Act
    const results = await Promise.all([
      stack.functions.invoke('notify', opened),
      stack.functions.invoke('notify', opened),
    ]);
    // Assess
    const posts = stack.slack
      .callsTo('chat.postMessage')
      .slice(postsBefore)
      .filter((call) => JSON.stringify(call.args).includes(approval.id));
    expect(posts).toHaveLength(1);
    expect(results.map((result) => (result as { slack: string }).slack).sort()).toEqual(['posted', 'up-to-date']);
    const mails = stack.standins.ses
      .sentEmails()
      .filter((email) => (email.text ?? '').includes(`/review/${approval.id}?t=`));
    expect(mails.map((email) => email.to[0]).sort()).toEqual(['alice@example.com', 'carol@example.com']);
    expect((await deliveries.get(approval.id))?.claimedUntil).toBeUndefined();
  });
});
