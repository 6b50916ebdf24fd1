/**
 * One pending Step Functions approval (2 of its approvers must approve, carol already did) as the store keeps it and
 * as the channels may show it, for the tests of what the review page, Slack and the e-mail render.
 */
import { type Approval, type PublicApproval, toPublicApproval } from '../../shared/domain/approval';

export const NOW = new Date('2026-11-22T10:00:00.000Z');
export const APPROVAL_ID = 'apr_0123456789abcdef0123456789abcdef';
export const EXECUTION_ARN = 'arn:aws:states:eu-west-1:111122223333:execution:deploy-prod:run-42';
/** The secret that must never reach a channel. */
export const TASK_TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAUSECRET-TASK-TOKEN';

function pendingStoredApproval(): Approval {
  return {
    id: APPROVAL_ID,
    source: 'stepfunctions',
    sourceRef: { kind: 'stepfunctions', taskToken: TASK_TOKEN, executionArn: EXECUTION_ARN },
    workflowRef: EXECUTION_ARN,
    title: 'Deploy payments v2.3 to production',
    description: 'Rolls out the new fraud rules.',
    context: {
      links: [{ label: 'Change ticket', url: 'https://tickets.example.com/CHG-1234' }],
      fields: { environment: 'production', version: '2.3.0' },
    },
    approvers: ['email:alice@example.com', 'email:carol@example.com'],
    requiredApprovals: 2,
    requestedBy: 'email:bob@example.com',
    status: 'pending',
    votes: [
      {
        approver: 'email:carol@example.com',
        decision: 'approve',
        channel: 'slack',
        comment: 'Looks good to me',
        at: '2026-11-22T09:30:00.000Z',
      },
    ],
    history: [{ at: '2026-11-22T08:00:00.000Z', status: 'pending', by: 'email:bob@example.com' }],
    createdAt: '2026-11-22T08:00:00.000Z',
    updatedAt: '2026-11-22T09:30:00.000Z',
    expiresAt: '2026-11-24T13:00:00.000Z',
    version: 2,
  };
}

export interface PublicApprovalFixtures {
  /** The approval as the store keeps it (with its task token), with the test's changes. */
  storedApproval(overrides?: Partial<Approval>): Approval;
  /** The same approval as a channel receives it. */
  publicApproval(overrides?: Partial<Approval>): PublicApproval;
}

/**
 * Builders of the pending approval with what a test file sets differently (approvers, votes, …): every call builds
 * a fresh copy, so a test may change what it gets.
 */
export function publicApprovalFixtures(variant: Partial<Approval> = {}): PublicApprovalFixtures {
  const storedApproval = (overrides: Partial<Approval> = {}): Approval => ({
    ...pendingStoredApproval(),
    ...structuredClone(variant),
    ...overrides,
  });
  return {
    storedApproval,
    publicApproval: (overrides: Partial<Approval> = {}) => toPublicApproval(storedApproval(overrides)),
  };
}
