/**
 * The lifecycle on the local stack: deadlines, workflows ended elsewhere, interrupted answers and reminders, through
 * the real lifecycle function (its EventBridge rules and its schedule), the stand-ins and the Slack stand-in.
 */
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/localStack';
import { decideApproval } from '../../shared/app/decideApproval';
import { type Approval, SOURCE_KINDS, type SourceKind } from '../../shared/domain/approval';
import { policyDocument } from '../../shared/runtime/policy';
import { createSourceClients, createSourceResumers } from '../../shared/sources/sources';
import { DecisionHarness, type WaitingWorkflow } from '../support/decisionHarness';
import { sampleEvent } from '../support/fixtures';

let stack: LocalStack;
let harness: DecisionHarness;

beforeAll(async () => {
  process.env.LOG_LEVEL = 'SILENT';
  process.env.RECHECK_AFTER_SECONDS = '0'; // re-check every pending approval on every sweep
  process.env.FOLLOW_UP_AFTER_SECONDS = '0'; // follow every pending approval up on every sweep
  process.env.REMIND_AFTER_SECONDS = '0';
  process.env.REMINDER_INTERVAL_SECONDS = '3600';
  stack = await startLocalStack();
  harness = new DecisionHarness(stack);
});
afterAll(async () => {
  harness?.close();
  await stack?.close();
});

const SOURCES: readonly SourceKind[] = SOURCE_KINDS;

/** Moves an approval's deadline into the past, as time would. */
async function makeOverdue(workflow: WaitingWorkflow): Promise<void> {
  const approval = (await stack.store.get(workflow.approvalId)) as Approval;
  await stack.store.update({
    ...approval,
    expiresAt: new Date(Date.now() - 1000).toISOString(),
    version: approval.version + 1,
  });
}

/** The event the source emits when the workflow ends elsewhere, from the samples in events/. */
function endedEvent(source: SourceKind, workflowRef: string) {
  if (source === 'stepfunctions') {
    const event = sampleEvent('stepfunctions/execution-status-change-aborted');
    event.resources = [workflowRef];
    event.detail.executionArn = workflowRef;
    return event;
  }
  if (source === 'imagebuilder') {
    const event = sampleEvent('imagebuilder/image-state-change-failed');
    event.resources = [workflowRef];
    return event;
  }
  if (source === 'lambda') {
    const event = sampleEvent('lambda/durable-execution-status-change-stopped');
    event.detail.durableExecutionArn = workflowRef;
    return event;
  }
  if (source === 'codepipeline') {
    // <pipeline ARN>/<stage>/<action>/<execution id>: the same action's ABANDONED event (stop and abandon).
    const [pipelineArn, stage, action, executionId] = workflowRef.split('/');
    const event = sampleEvent('codepipeline/action-execution-abandoned');
    event.resources = [pipelineArn];
    event.detail.pipeline = pipelineArn?.slice(pipelineArn.lastIndexOf(':') + 1);
    Object.assign(event.detail, { stage, action, 'execution-id': executionId });
    return event;
  }
  const event = sampleEvent('ssm/automation-execution-success');
  event.detail.ExecutionId = workflowRef;
  event.detail.Status = 'Cancelled';
  return event;
}

describe('deadlines', () => {
  it.each(SOURCES)(
    '%s: past its deadline, the approval expires and its workflow is answered once (reject)',
    async (source) => {
      // Prepare
      const workflow = await harness.openWaiting(source);
      await makeOverdue(workflow);
      // Act: two schedules at once
      await Promise.all([stack.sweep(), stack.sweep()]);
      await stack.sweep();
      // Assess
      const approval = await stack.store.get(workflow.approvalId);
      expect(approval?.status).toBe('expired');
      const calls = harness.answerCalls(workflow);
      expect(calls).toHaveLength(1);
      const input = calls[0]?.input as Record<string, unknown>;
      if (source === 'stepfunctions') expect(input.error).toBe('Greenlight.Expired');
      if (source === 'imagebuilder') expect(input.action).toBe('STOP');
      if (source === 'ssm') expect(input.SignalType).toBe('Reject');
      if (source === 'lambda') expect(input.ErrorType).toBe('Greenlight.Expired');
      if (source === 'codepipeline') expect(input.result).toMatchObject({ status: 'Rejected' });
      const message = harness.slackMessageOf(workflow.approvalId);
      expect(message?.updates).toBe(1);
      expect(JSON.stringify(message?.blocks)).toMatch(/[Ee]xpired/);
    },
  );

  it('a decision after the deadline is refused with 410 and changes nothing', async () => {
    const workflow = await harness.openWaiting('stepfunctions');
    await makeOverdue(workflow);
    const reply = await harness.decide('rest', workflow.approvalId, 'approve');
    expect(reply?.statusCode).toBe(410);
    expect(harness.answerCalls(workflow)).toHaveLength(0);
  });
});

describe('workflows that end elsewhere', () => {
  it.each(SOURCES)('%s: the ended event cancels the pending approval; no answer is sent', async (source) => {
    // Prepare
    const workflow = await harness.openWaiting(source);
    const approval = (await stack.store.get(workflow.approvalId)) as Approval;
    // Act
    const deliveries = await stack.publish(endedEvent(source, approval.workflowRef), 'default');
    // Assess
    expect(deliveries.map((delivery) => delivery.functionName)).toEqual(['lifecycle']);
    const after = await stack.store.get(workflow.approvalId);
    expect(after?.status).toBe('cancelled');
    expect(after?.closedReason).toMatch(/workflow ended/);
    expect(harness.answerCalls(workflow)).toHaveLength(0);
    expect(buttonsGone(workflow)).toBe(true);
  });

  it('an ended event for an approval already decided changes nothing', async () => {
    const workflow = await harness.openWaiting('stepfunctions');
    await harness.decide('rest', workflow.approvalId, 'approve');
    const approval = (await stack.store.get(workflow.approvalId)) as Approval;
    const succeeded = sampleEvent('stepfunctions/execution-status-change-succeeded');
    succeeded.detail.executionArn = approval.workflowRef;
    await stack.publish(succeeded, 'default');
    expect(await stack.store.get(workflow.approvalId)).toEqual(approval);
  });

  it('the schedule notices a workflow that stopped without an event (re-check against the source)', async () => {
    // Prepare: the execution is stopped; its status-change event never reaches us
    const workflow = await harness.openWaiting('stepfunctions');
    const approval = (await stack.store.get(workflow.approvalId)) as Approval;
    const sfn = new SFNClient({});
    await sfn.send(new StopExecutionCommand({ executionArn: approval.workflowRef }));
    sfn.destroy();
    // Act
    await stack.sweep();
    // Assess
    const after = await stack.store.get(workflow.approvalId);
    expect(after?.status).toBe('cancelled');
    expect(after?.closedReason).toMatch(/ABORTED/);
  });
});

function buttonsGone(workflow: WaitingWorkflow): boolean {
  const blocks = JSON.stringify(harness.slackMessageOf(workflow.approvalId)?.blocks ?? []);
  return !blocks.includes('greenlight.approve');
}

describe('interrupted answers', () => {
  it('a stuck "resuming" approval is finished by the schedule, once, even with two schedules at once', async () => {
    // Prepare: a decision that dies before its answer, with a lease already run out
    const workflow = await harness.openWaiting('imagebuilder');
    const real = createSourceResumers(createSourceClients());
    const dying = {
      kind: 'imagebuilder' as const,
      resume: async () => Promise.reject(new Error('crash before the call')),
      refuse: async () => Promise.reject(new Error('not expected')),
    };
    await expect(
      decideApproval(
        {
          store: stack.store,
          resumers: { ...real, imagebuilder: dying },
          events: { publish: async () => undefined },
          people: policyDocument.people,
          clock: { now: () => new Date() },
          log: { info: () => undefined, warn: () => undefined, error: () => undefined },
          resumeLeaseSeconds: 0,
        },
        { approvalId: workflow.approvalId, decision: 'approve', approver: 'email:alice@example.com', channel: 'rest' },
      ),
    ).rejects.toThrow('crash before the call');
    expect((await stack.store.get(workflow.approvalId))?.status).toBe('resuming');
    // Act
    await Promise.all([stack.sweep(), stack.sweep()]);
    // Assess
    expect((await stack.store.get(workflow.approvalId))?.status).toBe('approved');
    expect(harness.answerCalls(workflow)).toHaveLength(1);
  });
});

describe('follow-ups', () => {
  it('an approval whose "Approval Opened" announcement was lost still gets its Slack message and e-mails', async () => {
    // Prepare: EventBridge refuses the announcement (every SDK attempt), so notify never hears of the approval
    stack.standins.failNext('eventbridge', 'PutEvents', { status: 500, times: 3 });
    const workflow = await harness.openWaiting('imagebuilder');
    expect(harness.slackMessageOf(workflow.approvalId)).toBeUndefined();
    // Act
    await stack.sweep();
    // Assess
    expect(harness.slackMessageOf(workflow.approvalId)?.updates).toBe(0);
    const emails = stack.standins.ses.sentEmails().filter((email) => (email.text ?? '').includes(workflow.approvalId));
    expect(
      emails
        .filter((email) => !email.subject.startsWith('[Reminder]'))
        .map((email) => email.to[0])
        .sort(),
    ).toEqual(['alice@example.com', 'carol@example.com']);
  });
});

describe('reminders', () => {
  it('a long-pending approval gets one reminder per interval: a reply in its Slack thread and the e-mail again', async () => {
    // Prepare
    const workflow = await harness.openWaiting('ssm');
    const message = harness.slackMessageOf(workflow.approvalId);
    const emailsBefore = stack.standins.ses.sentEmails().length;
    // Act
    await stack.sweep();
    await stack.sweep();
    // Assess
    const replies = stack.slack.callsTo('chat.postMessage').filter((call) => call.args.thread_ts === message?.ts);
    expect(replies).toHaveLength(1);
    expect(String(replies[0]?.args.text)).toMatch(/Reminder/);
    const reminders = stack.standins.ses
      .sentEmails()
      .slice(emailsBefore)
      .filter((email) => email.subject.startsWith('[Reminder]'));
    expect(reminders.map((email) => email.to[0]).sort()).toEqual(['alice@example.com', 'carol@example.com']);
  });
});

describe('approvals read through the indexes (which project keys only)', () => {
  it.each(SOURCES)(
    '%s: the sweep and an ended event write approvals back whole, source reference included',
    async (source) => {
      // Prepare: one approval the schedule expires, one its workflow's end cancels
      const expiring = await harness.openWaiting(source);
      const ending = await harness.openWaiting(source);
      const before = {
        expiring: (await stack.store.get(expiring.approvalId)) as Approval,
        ending: (await stack.store.get(ending.approvalId)) as Approval,
      };
      await makeOverdue(expiring);
      // Act
      await stack.sweep();
      await stack.publish(endedEvent(source, before.ending.workflowRef), 'default');
      // Assess
      const expired = await stack.store.get(expiring.approvalId);
      const cancelled = await stack.store.get(ending.approvalId);
      expect(expired?.status).toBe('expired');
      expect(expired?.sourceRef).toEqual(before.expiring.sourceRef);
      expect(harness.answerCalls(expiring)).toHaveLength(1);
      expect(cancelled?.status).toBe('cancelled');
      expect(cancelled?.sourceRef).toEqual(before.ending.sourceRef);
    },
  );
});

describe('Step Functions heartbeats', () => {
  it('an approval whose request asks for heartbeatSeconds gets a heartbeat from each sweep, and none once it closed', async () => {
    // Prepare: a Task with HeartbeatSeconds waits; its request tells Greenlight
    const execution = stack.standins.stepFunctions.startWaitingExecution({ stateMachineName: 'deploy' });
    const event = sampleEvent('stepfunctions/approval-requested');
    event.resources = [execution.executionArn, execution.stateMachineArn];
    event.detail.taskToken = execution.taskToken;
    event.detail.heartbeatSeconds = 600;
    const [delivery] = await stack.publish(event);
    const approvalId = (delivery?.result as { approvalId?: string } | undefined)?.approvalId ?? '';
    const heartbeats = () => stack.standins.stepFunctions.describe(execution.executionArn)?.heartbeats;
    // Act: two sweeps while pending, the decision, then two more sweeps
    await stack.sweep();
    await stack.sweep();
    const whilePending = heartbeats();
    await harness.decide('rest', approvalId, 'approve', 'email:alice@example.com');
    await stack.sweep();
    await stack.sweep();
    // Assess
    expect(whilePending).toBe(2);
    expect((await stack.store.get(approvalId))?.status).toBe('approved');
    expect(heartbeats()).toBe(2);
  });

  it('an approval without heartbeatSeconds gets none', async () => {
    const workflow = await harness.openWaiting('stepfunctions');
    const approval = await stack.store.get(workflow.approvalId);
    await stack.sweep();
    const executionArn = approval?.workflowRef as string;
    expect(stack.standins.stepFunctions.describe(executionArn)?.heartbeats).toBe(0);
  });
});
