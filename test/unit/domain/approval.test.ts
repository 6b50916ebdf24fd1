import { describe, expect, it } from 'vitest';
import {
  APPROVAL_ID_PATTERN,
  approvalIdFor,
  isPastDeadline,
  openApproval,
  toPublicApproval,
  type WaitingItem,
} from '../../../shared/domain/approval';

/** The default wait of most sources (openApproval's third argument). */
const SEVEN_DAYS = 7 * 24 * 60 * 60;

const now = new Date('2026-11-22T10:00:00.000Z');
const waitingItem: WaitingItem = {
  source: 'stepfunctions',
  naturalKey: 'token-123',
  sourceRef: {
    kind: 'stepfunctions',
    taskToken: 'token-123',
    executionArn: 'arn:aws:states:us-east-1:111122223333:execution:deploy:run-1',
  },
  workflowRef: 'arn:aws:states:us-east-1:111122223333:execution:deploy:run-1',
  title: 'Deploy',
  approvers: ['email:alice@example.com', 'email:alice@example.com', 'slack:U024BE7LH'],
  requestedBy: 'email:bob@example.com',
};

describe('approvalIdFor', () => {
  it('is deterministic, source-scoped and URL-safe', () => {
    // Act
    const first = approvalIdFor('stepfunctions', 'key');
    const again = approvalIdFor('stepfunctions', 'key');
    const otherSource = approvalIdFor('ssm', 'key');
    const otherKey = approvalIdFor('stepfunctions', 'key2');
    // Assess
    expect(first).toBe(again);
    expect(first).toMatch(APPROVAL_ID_PATTERN);
    expect(otherSource).not.toBe(first);
    expect(otherKey).not.toBe(first);
  });

  it('does not contain the natural key (a task token must not leak through the id)', () => {
    expect(approvalIdFor('stepfunctions', 'secret-token-value')).not.toContain('secret');
  });
});

describe('openApproval', () => {
  it('opens a pending approval with deduplicated approvers, one history entry and version 1', () => {
    // Act
    const approval = openApproval(waitingItem, now, SEVEN_DAYS);
    // Assess
    expect(approval).toMatchObject({
      id: approvalIdFor('stepfunctions', 'token-123'),
      status: 'pending',
      approvers: ['email:alice@example.com', 'slack:U024BE7LH'],
      requiredApprovals: 1,
      votes: [],
      version: 1,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      context: { links: [], fields: {} },
    });
    expect(approval.history).toEqual([{ at: now.toISOString(), status: 'pending', by: 'email:bob@example.com' }]);
  });

  it("uses the request's timeout when given", () => {
    const approval = openApproval({ ...waitingItem, timeoutSeconds: 3600 }, now, SEVEN_DAYS);
    expect(approval.expiresAt).toBe('2026-11-22T11:00:00.000Z');
  });

  it("uses the source's default deadline when the request gives none", () => {
    const approval = openApproval({ ...waitingItem, source: 'imagebuilder' }, now, 3 * 86400);
    expect(Date.parse(approval.expiresAt) - now.getTime()).toBe(3 * 86400 * 1000);
  });
});

describe('isPastDeadline', () => {
  it('is false before the deadline and true from it on', () => {
    const approval = openApproval({ ...waitingItem, timeoutSeconds: 60 }, now, SEVEN_DAYS);
    expect(isPastDeadline(approval, new Date(now.getTime() + 59_999))).toBe(false);
    expect(isPastDeadline(approval, new Date(now.getTime() + 60_000))).toBe(true);
  });
});

describe('toPublicApproval', () => {
  it('drops the source reference that holds the task token', () => {
    const approval = openApproval(waitingItem, now, SEVEN_DAYS);
    const shown = toPublicApproval(approval);
    expect(shown).not.toHaveProperty('sourceRef');
    expect(JSON.stringify(shown)).not.toContain('token-123');
  });
});
