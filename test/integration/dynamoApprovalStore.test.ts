import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Approval, openApproval, type WaitingItem } from '../../shared/domain/approval';
import { transition } from '../../shared/domain/approvalStateMachine';
import {
  BY_WORKFLOW_INDEX,
  CLOSED_RETENTION_SECONDS,
  DynamoApprovalStore,
  OPEN_BY_CREATED_AT_INDEX,
} from '../../shared/store/dynamoApprovalStore';
import { ApprovalVersionConflictError, InvalidCursorError, UnprocessedReadError } from '../../shared/store/errors';
import { startTestTable, type TestTable } from '../support/testTable';

/** The default wait of most sources (openApproval's third argument). */
const SEVEN_DAYS = 7 * 24 * 60 * 60;

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
    SEVEN_DAYS,
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

  it('an update from the version it holds sends only the changes, and stores what a whole-item write would', async () => {
    // Prepare: pending → resuming (with a lease) → closed (lease removed, out of the open index, purge time)
    const approval = newApproval();
    await table.store.create(approval);
    const resuming = {
      ...transition(approval, 'resuming', { at: new Date() }),
      resumeLeaseUntil: '2026-11-23T00:00:30.000Z',
    };
    const { resumeLeaseUntil: _lease, ...closed } = transition(resuming, 'approved', {
      at: new Date('2026-11-23T00:00:00.000Z'),
    });
    const key = { pk: `APPROVAL#${approval.id}`, sk: 'APPROVAL' };
    const whole = newApproval();
    await table.store.create(whole);
    const wholeKey = { pk: `APPROVAL#${whole.id}`, sk: 'APPROVAL' };
    // Act: the same two steps, by changes and by whole items
    await table.store.update(resuming, approval);
    await table.store.update(closed, resuming);
    const wholeResuming = { ...resuming, id: whole.id, sourceRef: whole.sourceRef, workflowRef: whole.workflowRef };
    await table.store.update(wholeResuming);
    await table.store.update({ ...closed, id: whole.id, sourceRef: whole.sourceRef, workflowRef: whole.workflowRef });
    // Assess
    const stored = (await table.client.send(new GetCommand({ TableName: table.tableName, Key: key }))).Item;
    const storedWhole = (await table.client.send(new GetCommand({ TableName: table.tableName, Key: wholeKey }))).Item;
    // The closed index key holds the item's id, so it is compared apart from the rest (which holds no id).
    const { pk: _pk, workflowKey: _w, id: _id, sourceRef: _s, workflowRef: _r, closedSince, ...rest } = stored ?? {};
    const {
      pk: _pk2,
      workflowKey: _w2,
      id: _id2,
      sourceRef: _s2,
      workflowRef: _r2,
      closedSince: closedSinceWhole,
      ...restWhole
    } = storedWhole ?? {};
    expect(await table.store.get(approval.id)).toEqual(closed);
    expect(stored?.resumeLeaseUntil).toBeUndefined();
    expect(stored?.openStatus).toBeUndefined();
    expect(closedSince).toBe(`${closed.updatedAt}#${approval.id}`);
    expect(closedSinceWhole).toBe(`${closed.updatedAt}#${whole.id}`);
    expect(rest).toEqual(restWhole);
    await expect(table.store.update({ ...closed, version: closed.version }, resuming)).rejects.toBeInstanceOf(
      ApprovalVersionConflictError,
    );
  });

  it('finds approvals by workflow', async () => {
    const approval = newApproval();
    await table.store.create(approval);
    const found = await table.store.findByWorkflow('stepfunctions', approval.workflowRef);
    expect(found.map((item) => item.id)).toEqual([approval.id]);
    expect(await table.store.findByWorkflow('ssm', approval.workflowRef)).toEqual([]);
  });

  it('lists approvals closed since a time, most recently closed first, across months, and leaves out open ones', async () => {
    // Prepare: closed in October and November (two index partitions), one closed too early, one still open
    const closeAt = async (at: string) => {
      const approval = newApproval({}, new Date('2026-09-01T00:00:00.000Z'));
      await table.store.create(approval);
      const closed = { ...transition(approval, 'cancelled', { at: new Date(at) }), updatedAt: at };
      await table.store.update(closed);
      return approval.id;
    };
    const early = await closeAt('2026-09-20T00:00:00.000Z');
    const october = await closeAt('2026-10-30T00:00:00.000Z');
    const november = await closeAt('2026-11-02T00:00:00.000Z');
    const open = newApproval();
    await table.store.create(open);
    const query = { since: new Date('2026-10-01T00:00:00.000Z'), now: new Date('2026-11-05T00:00:00.000Z') };
    // Act
    const all = await table.store.listClosedSince({ ...query, limit: 50 });
    const one = await table.store.listClosedSince({ ...query, limit: 1 });
    // Assess
    const ids = all.map((approval) => approval.id);
    expect(ids.indexOf(november)).toBeLessThan(ids.indexOf(october));
    expect(ids).toContain(october);
    expect(ids).not.toContain(early);
    expect(ids).not.toContain(open.id);
    expect(all.find((approval) => approval.id === november)?.sourceRef).toBeDefined();
    expect(one.map((approval) => approval.id)).toEqual([november]);
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

describe('indexes that project keys only (the source reference lives in the table item alone)', () => {
  it('hold no source reference: a query on either index yields keys, never the task token', async () => {
    // Prepare
    const approval = newApproval();
    await table.store.create(approval);
    // Act
    const query = (index: string, condition: string, values: Record<string, string>) =>
      table.client.send(
        new QueryCommand({
          TableName: table.tableName,
          IndexName: index,
          KeyConditionExpression: condition,
          ExpressionAttributeValues: values,
        }),
      );
    const byWorkflow = await query(BY_WORKFLOW_INDEX, 'workflowKey = :w', {
      ':w': `stepfunctions#${approval.workflowRef}`,
    });
    const open = await query(OPEN_BY_CREATED_AT_INDEX, 'openStatus = :s', { ':s': 'pending' });
    // Assess
    const mine = open.Items?.find((item) => item.pk === `APPROVAL#${approval.id}`);
    expect(byWorkflow.Items).toEqual([
      {
        pk: `APPROVAL#${approval.id}`,
        sk: 'APPROVAL',
        workflowKey: `stepfunctions#${approval.workflowRef}`,
        createdAt: approval.createdAt,
      },
    ]);
    expect(Object.keys(mine ?? {}).sort()).toEqual(['openSince', 'openStatus', 'pk', 'sk']);
    expect(JSON.stringify([byWorkflow.Items, open.Items])).not.toContain('token-');
  });

  it('listOpen and findByWorkflow still return whole approvals, source reference included', async () => {
    // Prepare: a table of its own, so the open list holds exactly these
    const own = await startTestTable();
    try {
      const approvals = [newApproval(), newApproval(), newApproval()];
      for (const approval of approvals) await own.store.create(approval);
      // Act
      const listed = await own.store.listOpen({ status: 'pending', limit: 10 });
      const found = await own.store.findByWorkflow('stepfunctions', approvals[1]?.workflowRef ?? '');
      // Assess
      expect(listed.items).toEqual(approvals);
      expect(listed.items.map((item) => item.sourceRef)).toEqual(approvals.map((approval) => approval.sourceRef));
      expect(found).toEqual([approvals[1]]);
    } finally {
      await own.close();
    }
  });

  it('a sweep-style write of an approval read through listOpen keeps its source reference', async () => {
    // Prepare
    const own = await startTestTable();
    try {
      const approval = newApproval();
      await own.store.create(approval);
      const [listed] = (await own.store.listOpen({ status: 'pending', limit: 10 })).items;
      // Act: what the lifecycle does with a listed approval — change it and write it back whole
      await own.store.update(transition(listed as Approval, 'expired', { at: new Date('2026-11-30T00:00:00.000Z') }));
      const [byWorkflow] = await own.store.findByWorkflow('stepfunctions', approval.workflowRef);
      await own.store.update({ ...(byWorkflow as Approval), version: (byWorkflow as Approval).version + 1 });
      // Assess
      const stored = await own.store.get(approval.id);
      expect(stored?.status).toBe('expired');
      expect(stored?.sourceRef).toEqual(approval.sourceRef);
    } finally {
      await own.close();
    }
  });

  it('pages by the index position and leaves out approvals that have left the status meanwhile', async () => {
    // Prepare: three pending; the second moves on between the index query and the item reads
    const own = await startTestTable();
    try {
      const approvals = [newApproval(), newApproval(), newApproval()];
      for (const approval of approvals) await own.store.create(approval);
      const moving = approvals[1] as Approval;
      let moved = false;
      const racing = interceptingClient(own.client, async (command) => {
        if (command instanceof BatchGetCommand && !moved) {
          moved = true;
          await own.store.update(transition(moving, 'resuming', { at: new Date() }));
        }
      });
      const store = new DynamoApprovalStore(racing.client, own.tableName);
      // Act
      const first = await store.listOpen({ status: 'pending', limit: 2 });
      const second = await own.store.listOpen({ status: 'pending', limit: 2, cursor: first.nextCursor });
      // Assess
      expect(first.items.map((item) => item.id)).toEqual([approvals[0]?.id]);
      expect(first.nextCursor).toBeDefined();
      expect(second.items.map((item) => item.id)).toEqual([approvals[2]?.id]);
      expect(second.nextCursor).toBeUndefined();
    } finally {
      await own.close();
    }
  });

  it('asks again for the keys BatchGetItem leaves unprocessed, and gives up with a named error if it never reads them', async () => {
    // Prepare
    const own = await startTestTable();
    try {
      const approvals = [newApproval(), newApproval(), newApproval()];
      for (const approval of approvals) await own.store.create(approval);
      let calls = 0;
      const partial = interceptingClient(own.client, undefined, (command, output) => {
        if (!(command instanceof BatchGetCommand)) return output;
        calls += 1;
        if (calls > 1) return output;
        // The first answer reads one item and leaves the others unprocessed, as DynamoDB does when throttled.
        const keys = command.input.RequestItems?.[own.tableName]?.Keys ?? [];
        const items = (output as { Responses: Record<string, Array<{ pk: string }>> }).Responses[own.tableName] ?? [];
        const [kept] = items;
        return {
          ...(output as object),
          Responses: { [own.tableName]: kept ? [kept] : [] },
          UnprocessedKeys: {
            [own.tableName]: { Keys: keys.filter((key) => key.pk !== kept?.pk), ConsistentRead: true },
          },
        };
      });
      const neverRead = interceptingClient(own.client, undefined, (command, output) =>
        command instanceof BatchGetCommand
          ? {
              ...(output as object),
              Responses: { [own.tableName]: [] },
              UnprocessedKeys: { [own.tableName]: command.input.RequestItems?.[own.tableName] },
            }
          : output,
      );
      // Act
      const listed = await new DynamoApprovalStore(partial.client, own.tableName).listOpen({
        status: 'pending',
        limit: 10,
      });
      const failed = new DynamoApprovalStore(neverRead.client, own.tableName).listOpen({
        status: 'pending',
        limit: 10,
      });
      // Assess
      expect(calls).toBe(2);
      expect(listed.items).toEqual(approvals);
      await expect(failed).rejects.toBeInstanceOf(UnprocessedReadError);
    } finally {
      await own.close();
    }
  });
});

/** A document client that runs `before` ahead of every command and lets `after` rewrite every answer. */
function interceptingClient(
  inner: DynamoDBDocumentClient,
  before?: (command: unknown) => Promise<void>,
  after?: (command: unknown, output: unknown) => unknown,
): { client: DynamoDBDocumentClient } {
  const send = async (command: never) => {
    await before?.(command);
    const output = await inner.send(command);
    return after ? after(command, output) : output;
  };
  return { client: { send } as unknown as DynamoDBDocumentClient };
}
