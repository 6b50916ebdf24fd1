import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Approval, openApproval, type WaitingItem } from '../../shared/domain/approval';
import { transition } from '../../shared/domain/approvalStateMachine';
import { CLOSED_RETENTION_SECONDS } from '../../shared/store/dynamoApprovalStore';
import { ApprovalVersionConflictError, InvalidCursorError } from '../../shared/store/errors';
import { startTestTable, type TestTable } from '../support/testTable';

let table: TestTable;
beforeAll(async () => {
  table = await startTestTable();
});
afterAll(async () => {
  await table?.close();
});

let counter = 0;
function newApproval(overrides: Partial<WaitingItem> = {}, at = new Date('2026-11-22T10:00:00.000Z')): Approval {
  counter += 1;
  const executionArn = `arn:aws:states:us-east-1:111122223333:execution:deploy:run-${counter}`;
  return openApproval(
    {
      source: 'stepfunctions',
      naturalKey: `token-${counter}-${Math.random()}`,
      sourceRef: { kind: 'stepfunctions', taskToken: `token-${counter}`, executionArn },
      workflowRef: executionArn,
      title: `Deploy ${counter}`,
      ...overrides,
    },
    new Date(at.getTime() + counter),
  );
}

describe('DynamoApprovalStore against dynalite', () => {
  it('creates an approval once and reads it back unchanged', async () => {
    // Prepare
    const approval = newApproval();
    // Act
    const first = await table.store.create(approval);
    const second = await table.store.create({ ...approval, title: 'overwritten?' });
    // Assess
    expect(first).toBe('created');
    expect(second).toBe('already-exists');
    expect(await table.store.get(approval.id)).toEqual(approval);
  });

  it('returns undefined for an unknown id', async () => {
    expect(await table.store.get('apr_00000000000000000000000000000000')).toBeUndefined();
  });

  it('updates only from the version it read, so a concurrent writer loses with a named error', async () => {
    // Prepare
    const approval = newApproval();
    await table.store.create(approval);
    const mine = transition(approval, 'resuming', { at: new Date() });
    const theirs = transition(approval, 'cancelled', { at: new Date() });
    // Act
    await table.store.update(mine);
    const lost = table.store.update(theirs);
    // Assess
    await expect(lost).rejects.toBeInstanceOf(ApprovalVersionConflictError);
    expect((await table.store.get(approval.id))?.status).toBe('resuming');
  });

  it('keeps open approvals in the sparse open index and takes closed ones out, with a purge time', async () => {
    // Prepare
    const approval = newApproval();
    await table.store.create(approval);
    const key = { pk: `APPROVAL#${approval.id}`, sk: 'APPROVAL' };
    const openItem = (await table.client.send(new GetCommand({ TableName: table.tableName, Key: key }))).Item;
    // Act
    const closed = transition(approval, 'cancelled', { at: new Date('2026-11-23T00:00:00.000Z') });
    await table.store.update(closed);
    const closedItem = (await table.client.send(new GetCommand({ TableName: table.tableName, Key: key }))).Item;
    // Assess
    expect(openItem).toMatchObject({ openStatus: 'pending', workflowKey: `stepfunctions#${approval.workflowRef}` });
    expect(openItem?.purgeAt).toBeUndefined();
    expect(closedItem?.openStatus).toBeUndefined();
    expect(closedItem?.openSince).toBeUndefined();
    expect(closedItem?.purgeAt).toBe(Date.parse('2026-11-23T00:00:00.000Z') / 1000 + CLOSED_RETENTION_SECONDS);
  });

  it('finds approvals by workflow', async () => {
    const approval = newApproval();
    await table.store.create(approval);
    const found = await table.store.findByWorkflow('stepfunctions', approval.workflowRef);
    expect(found.map((item) => item.id)).toEqual([approval.id]);
    expect(await table.store.findByWorkflow('ssm', approval.workflowRef)).toEqual([]);
  });

  it('pages through open approvals oldest first with an opaque cursor', async () => {
    // Prepare: a table of its own so other tests' items do not interfere
    const own = await startTestTable();
    try {
      const approvals = Array.from({ length: 5 }, () => newApproval());
      for (const approval of approvals) await own.store.create(approval);
      // Act
      const first = await own.store.listOpen({ status: 'pending', limit: 2 });
      const second = await own.store.listOpen({ status: 'pending', limit: 2, cursor: first.nextCursor });
      const third = await own.store.listOpen({ status: 'pending', limit: 2, cursor: second.nextCursor });
      // Assess
      const seen = [...first.items, ...second.items, ...third.items].map((item) => item.id);
      expect(seen).toEqual(approvals.map((approval) => approval.id));
      expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(third.items).toHaveLength(1);
      expect(third.nextCursor).toBeUndefined(); // no cursor to an empty page
      const resuming = await own.store.listOpen({ status: 'resuming', limit: 10 });
      expect(resuming.items).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it.each([
    ['garbage', 'not-a-cursor!'],
    ['valid base64 of the wrong shape', Buffer.from('{"pk":"x"}').toString('base64url')],
    [
      'a cursor for another status',
      Buffer.from(JSON.stringify({ pk: 'a', sk: 'b', openStatus: 'resuming', openSince: 'c' })).toString('base64url'),
    ],
  ])('refuses a cursor that is %s', async (_name, cursor) => {
    await expect(table.store.listOpen({ status: 'pending', limit: 2, cursor })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });
});
