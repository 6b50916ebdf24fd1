import { describe, expect, it } from 'vitest';
import { type ApprovalStatus, openApproval } from '../../../shared/domain/approval';
import { ALLOWED_TRANSITIONS, canTransition, isClosed, transition } from '../../../shared/domain/approvalStateMachine';
import { InvalidTransitionError } from '../../../shared/domain/errors';

/** The default wait of most sources (openApproval's third argument). */
const SEVEN_DAYS = 7 * 24 * 60 * 60;

const now = new Date('2026-11-22T10:00:00.000Z');
const later = new Date('2026-11-22T10:05:00.000Z');
const pending = openApproval(
  {
    source: 'ssm',
    naturalKey: 'exec-1:approve',
    sourceRef: { kind: 'ssm', automationExecutionId: 'exec-1', stepName: 'approve' },
    workflowRef: 'exec-1',
    title: 'Approve',
  },
  now,
  SEVEN_DAYS,
);
const withStatus = (status: ApprovalStatus) => ({ ...pending, status });

const ALL: ApprovalStatus[] = ['pending', 'resuming', 'approved', 'rejected', 'expired', 'cancelled', 'failed'];
const EXPECTED_EDGES = new Set([
  'pending>resuming',
  'pending>expired',
  'pending>cancelled',
  'resuming>approved',
  'resuming>rejected',
  'resuming>expired',
  'resuming>failed',
]);

describe('approval state machine', () => {
  it.each(ALL.flatMap((from) => ALL.map((to) => [from, to] as const)))(
    '%s → %s is allowed only if designed',
    (from, to) => {
      expect(canTransition(from, to)).toBe(EXPECTED_EDGES.has(`${from}>${to}`));
    },
  );

  it('closed statuses are terminal', () => {
    for (const status of ['approved', 'rejected', 'expired', 'cancelled', 'failed'] as const) {
      expect(ALLOWED_TRANSITIONS[status]).toEqual([]);
      expect(isClosed({ status })).toBe(true);
    }
    expect(isClosed({ status: 'pending' })).toBe(false);
    expect(isClosed({ status: 'resuming' })).toBe(false);
  });

  it('records the change in history, bumps the version and leaves the input untouched', () => {
    // Act
    const resuming = transition(pending, 'resuming', { at: later, by: 'email:alice@example.com', channel: 'rest' });
    // Assess
    expect(resuming.status).toBe('resuming');
    expect(resuming.version).toBe(pending.version + 1);
    expect(resuming.updatedAt).toBe(later.toISOString());
    expect(resuming.history.at(-1)).toEqual({
      at: later.toISOString(),
      status: 'resuming',
      by: 'email:alice@example.com',
      channel: 'rest',
    });
    expect(pending.status).toBe('pending');
    expect(pending.history).toHaveLength(1);
  });

  it('refuses a transition the machine does not allow, naming both statuses', () => {
    expect(() => transition(withStatus('approved'), 'resuming', { at: later })).toThrow(InvalidTransitionError);
    expect(() => transition(withStatus('approved'), 'resuming', { at: later })).toThrow(/from approved to resuming/);
  });
});
