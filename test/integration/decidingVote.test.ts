/**
 * The vote that completes a tally, judged by its own conditional write (no read before it): the store's DynamoDB
 * condition must admit exactly what the ballot admits (and the ballot what the policy allows: test/unit/domain/
 * ballot.test.ts), and a decision must then cost the three calls of an exactly-once floor.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/localStack';
import { type DecideDependencies, decideApproval } from '../../shared/app/decideApproval';
import type { Approval } from '../../shared/domain/approval';
import { admitsDecidingVote, directoryFingerprint, withBallot } from '../../shared/domain/ballot';
import { personOf } from '../../shared/domain/policy';
import { policyDocument } from '../../shared/runtime/policy';
import { createSourceClients, createSourceResumers } from '../../shared/sources/sources';
import type { ApprovalStore, DecidingVote } from '../../shared/store/approvalStore';
import { DynamoApprovalStore } from '../../shared/store/dynamoApprovalStore';
import { directory, NOW, pendingApproval, vote } from '../support/ballotArbitraries';
import { DecisionHarness } from '../support/decisionHarness';
import { startTestTable, type TestTable } from '../support/testTable';

function decidingVote(approval: Approval, next: { approver: string; decision: 'approve' | 'reject'; key?: string }) {
  const person = personOf(next.approver, directory);
  const outcome = next.decision === 'approve' ? ('approved' as const) : ('rejected' as const);
  return {
    approvalId: approval.id,
    directory: directoryFingerprint(directory),
    person,
    decision: next.decision,
    ...(next.key === undefined ? {} : { idempotencyKey: next.key }),
    vote: { approver: next.approver, person, decision: next.decision, channel: 'rest', at: NOW.toISOString() },
    outcome,
    history: { at: NOW.toISOString(), status: 'resuming', reason: `decided: ${outcome}` },
    now: NOW.toISOString(),
    resumeLeaseUntil: new Date(NOW.getTime() + 30_000).toISOString(),
  } satisfies DecidingVote;
}

describe('castDecidingVote against dynalite', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => {
    await table?.close();
  });

  it('writes exactly when the approval is pending, not past its deadline, and its ballot admits the vote', async () => {
    let runs = 0;
    const seen = { written: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        pendingApproval,
        vote,
        // Mostly pending: the condition's other terms are what the random approvals and votes vary.
        fc.oneof(
          { arbitrary: fc.constant('pending' as const), weight: 6 },
          fc.constantFrom('resuming' as const, 'past deadline' as const, 'stale ballot' as const, 'no ballot' as const),
        ),
        async (base, next, state) => {
          runs += 1;
          let approval = withBallot({ ...base, id: `apr_${runs.toString(16).padStart(32, '0')}` }, directory);
          if (state === 'resuming') approval = { ...approval, status: 'resuming' };
          if (state === 'past deadline') approval = { ...approval, expiresAt: NOW.toISOString() };
          if (state === 'stale ballot' && approval.ballot) {
            approval = { ...approval, ballot: { ...approval.ballot, directory: 'made-with-another-people-map' } };
          }
          if (state === 'no ballot') {
            const { ballot: _ballot, ...withoutBallot } = approval;
            approval = withoutBallot;
          }
          await table.store.create(approval);
          const write = decidingVote(approval, next);
          const expected =
            approval.status === 'pending' &&
            approval.expiresAt > write.now &&
            admitsDecidingVote(approval.ballot, write);

          const result = await table.store.castDecidingVote(write);

          expect(result.written).toBe(expected);
          const stored = await table.store.get(approval.id);
          if (result.written) {
            seen.written += 1;
            expect(stored).toEqual(result.approval);
            expect(stored).toMatchObject({
              status: 'resuming',
              outcome: write.outcome,
              version: approval.version + 1,
              resumeAttempts: 1,
              resumeLeaseUntil: write.resumeLeaseUntil,
              votes: [...approval.votes, write.vote],
              history: [...approval.history, write.history],
            });
            expect(stored?.ballot?.voted).toContain(write.person);
          } else {
            seen.refused += 1;
            expect(stored).toEqual(approval);
          }
        },
      ),
      // A fixed seed: the same cases every run, so the coverage check below cannot flake (the unit property test
      // explores freely; this one compares DynamoDB's condition with it).
      { numRuns: 200, seed: 20261129 },
    );
    // Both sides of the condition were exercised.
    expect(seen.written).toBeGreaterThan(10);
    expect(seen.refused).toBeGreaterThan(20);
  });

  it('moves the approval from the pending to the resuming listing (the open index follows)', async () => {
    const approval = withBallot(
      {
        ...(await fc.sample(pendingApproval, { numRuns: 1, seed: 7 }))[0],
        id: 'apr_0000000000000000000000000000ffff',
        approvers: ['person:bob'],
        requestedBy: undefined,
        requiredApprovals: 1,
        votes: [],
      } as Approval,
      directory,
    );
    await table.store.create(approval);
    const result = await table.store.castDecidingVote(
      decidingVote(approval, { approver: 'email:bob@example.com', decision: 'approve' }),
    );
    expect(result.written).toBe(true);
    const pending = await table.store.listOpen({ status: 'pending', limit: 100 });
    const resuming = await table.store.listOpen({ status: 'resuming', limit: 100 });
    expect(pending.items.map((item) => item.id)).not.toContain(approval.id);
    expect(resuming.items.map((item) => item.id)).toContain(approval.id);
  });
});

describe('castDecidingVote on DynamoDB, which returns the item a failed condition found', () => {
  it('hands that item back (ReturnValuesOnConditionCheckFailure: ALL_OLD), so the caller needs no read', async () => {
    const documents = DynamoDBDocumentClient.from(
      new (await import('@aws-sdk/client-dynamodb')).DynamoDBClient({ region: 'us-east-1' }),
    );
    const mock = mockClient(documents);
    const found = { pk: 'APPROVAL#apr_1', sk: 'APPROVAL', openStatus: 'pending', id: 'apr_1', status: 'pending' };
    mock.on(UpdateCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: marshall(found),
      }),
    );
    const store = new DynamoApprovalStore(documents, 'approvals');
    const approval = { id: 'apr_1' } as Approval;

    const result = await store.castDecidingVote(
      decidingVote(approval, { approver: 'email:bob@example.com', decision: 'reject' }),
    );

    expect(result).toEqual({ written: false, approval: { id: 'apr_1', status: 'pending' } });
    expect(mock.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      ReturnValues: 'ALL_NEW',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });
});

describe('a decision through the use case', () => {
  let stack: LocalStack;
  let harness: DecisionHarness;
  beforeAll(async () => {
    stack = await startLocalStack();
    harness = new DecisionHarness(stack);
  });
  afterAll(async () => {
    harness?.close();
    await stack?.close();
  });

  /** The stack's store, with every call it receives written down. */
  function countingStore(calls: string[]): ApprovalStore {
    const inner = stack.store;
    const noted = <T>(call: string, action: () => Promise<T>) => {
      calls.push(call);
      return action();
    };
    return {
      create: (approval) => noted('create', () => inner.create(approval)),
      get: (id) => noted('get', () => inner.get(id)),
      update: (approval, previous) => noted(`update→${approval.status}`, () => inner.update(approval, previous)),
      castDecidingVote: (write) => noted('castDecidingVote', () => inner.castDecidingVote(write)),
      listOpen: (query) => inner.listOpen(query),
      findByWorkflow: (source, ref) => inner.findByWorkflow(source, ref),
      listClosedSince: (query) => inner.listClosedSince(query),
    };
  }

  async function dependencies(calls: string[], published: string[]): Promise<DecideDependencies> {
    return {
      store: countingStore(calls),
      resumers: createSourceResumers(createSourceClients()),
      events: { publish: async (type) => void published.push(type) },
      people: policyDocument.people,
      ...(policyDocument.identities?.identityCenterAccounts
        ? { identityCenterAccounts: policyDocument.identities.identityCenterAccounts }
        : {}),
      clock: { now: () => new Date() },
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    };
  }

  it('the vote that decides is one conditional write, the answer and the final write: no read', async () => {
    const workflow = await harness.openWaiting('stepfunctions');
    const calls: string[] = [];
    const published: string[] = [];

    const result = await decideApproval(await dependencies(calls, published), {
      approvalId: workflow.approvalId,
      approver: 'email:alice@example.com',
      decision: 'approve',
      channel: 'rest',
    });

    expect(result.approval.status).toBe('approved');
    expect(calls).toEqual(['castDecidingVote', 'update→approved']);
    expect(
      stack.standins
        .callsTo('sfn', 'SendTaskSuccess')
        .filter((call) => workflow.matchesCall(call.input as Record<string, unknown>)),
    ).toHaveLength(1);
    expect(published).toEqual(['Approval Decided']);
  });

  it('a vote that leaves a quorum open is judged on the item, and keeps the ballot up to date for the last one', async () => {
    const workflow = await harness.openWaiting('stepfunctions', { requiredApprovals: 2 });
    const first: string[] = [];
    const second: string[] = [];

    const open = await decideApproval(await dependencies(first, []), {
      approvalId: workflow.approvalId,
      approver: 'email:alice@example.com',
      decision: 'approve',
      channel: 'rest',
    });
    // alice again, from Slack: the same person, so a replay, never a second vote.
    const replay = await decideApproval(await dependencies([], []), {
      approvalId: workflow.approvalId,
      approver: 'slack:U024BE7LH',
      decision: 'approve',
      channel: 'slack',
    });
    const decided = await decideApproval(await dependencies(second, []), {
      approvalId: workflow.approvalId,
      approver: 'email:carol@example.com',
      decision: 'approve',
      channel: 'rest',
    });

    expect(open.approval.status).toBe('pending');
    // dynalite returns no item with a failed condition, so here the store reads it; DynamoDB hands it back.
    expect(first).toEqual(['castDecidingVote', 'get', 'update→pending']);
    expect(open.approval.ballot).toMatchObject({ voted: ['person:alice'], approvalsToGo: 1 });
    expect(replay).toMatchObject({ replayed: true, approval: { status: 'pending', version: open.approval.version } });
    expect(decided.approval.status).toBe('approved');
    expect(second).toEqual(['castDecidingVote', 'update→approved']);
  });
});
