/**
 * The example state machines in infra/examples/ must keep working against the request contract: their payloads,
 * once Step Functions fills the `.$` paths, pass the same schema capture uses, and they catch the error names the
 * Step Functions resumer sends.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APPROVAL_REQUESTED_DETAIL_TYPE } from '../../../shared/sources/approvalRequested';
import { approvalRequestSchema } from '../../../shared/sources/approvalRequestSchema';
import { REJECTED_ERROR } from '../../../shared/sources/decisionDocument';

// biome-ignore lint/suspicious/noExplicitAny: Amazon States Language documents are plain JSON
const load = (name: string): any => JSON.parse(readFileSync(`infra/examples/${name}`, 'utf8'));

/** What Step Functions would put where the document says `"key.$": "<path>"`, for a typical execution. */
const CONTEXT: Record<string, unknown> = {
  '$$.Task.Token': 'AAAAKgAAAAIAAAAAAAAAAeZ6Hk0pHAb2IUhWwZDrof',
  '$$.Execution.Id': 'arn:aws:states:us-east-1:111122223333:execution:deploy:run-1',
  '$$.StateMachine.Id': 'arn:aws:states:us-east-1:111122223333:stateMachine:deploy',
  '$.requestedBy': 'email:bob@example.com',
  '$.pullRequestUrl': 'https://github.com/example/checkout/pull/42',
  '$.version': '2.4.1',
};

function resolvePaths(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolvePaths);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key.endsWith('.$')
        ? [
            key.slice(0, -2),
            typeof inner === 'string' && inner.startsWith('States.Format') ? 'Deploy x' : CONTEXT[inner as string],
          ]
        : [key, resolvePaths(inner)],
    ),
  );
}

describe('infra/examples', () => {
  it('approval-state-machine.asl.json puts a valid Approval Requested event and catches the rejection', () => {
    // Prepare
    const machine = load('approval-state-machine.asl.json');
    const task = machine.States[machine.StartAt];
    const entry = task.Parameters.Entries[0];
    // Act
    const detail = approvalRequestSchema.safeParse(resolvePaths(entry.Detail));
    // Assess
    expect(task.Resource).toBe('arn:aws:states:::events:putEvents.waitForTaskToken');
    expect(entry.DetailType).toBe(APPROVAL_REQUESTED_DETAIL_TYPE);
    expect(entry.EventBusName).toMatch(/^greenlight-/);
    expect(detail.success, JSON.stringify(detail.error?.issues)).toBe(true);
    expect(task.Catch[0].ErrorEquals).toEqual([REJECTED_ERROR]);
  });

  it('approval-state-machine-lambda-invoke.asl.json passes the execution ARN capture requires', () => {
    const machine = load('approval-state-machine-lambda-invoke.asl.json');
    const task = machine.States[machine.StartAt];
    const payload = resolvePaths(task.Parameters.Payload) as Record<string, unknown>;
    expect(task.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(approvalRequestSchema.safeParse(payload).success).toBe(true);
    expect(payload.executionArn).toBe(CONTEXT['$$.Execution.Id']);
  });
});
