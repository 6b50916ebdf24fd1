/**
 * DynamoDB adapter of the approval store (schema: infra/table.yml).
 * One item per approval; the sparse `openStatus` attribute feeds the OpenByCreatedAt index and is removed on close;
 * `workflowKey` feeds ByWorkflow; `purgeAt` (epoch seconds) lets TTL remove closed items long after they close.
 * Both indexes project keys only (never the source reference): a query on them yields keys, and the approvals are
 * then read whole from the table (BatchGetItem, strongly consistent), so callers that write them back keep every
 * attribute.
 * The vote that completes a tally is one UpdateItem whose condition is the policy's judgement of it, made on the
 * item's ballot (castDecidingVote): no read before the write.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type Approval, isOpen, type OpenStatus, type SourceKind } from '../domain/approval';
import type { ApprovalStore, CreateResult, DecidingVote, DecidingVoteResult, OpenApprovalsPage } from './approvalStore';
import { ApprovalVersionConflictError, InvalidCursorError, UnprocessedReadError } from './errors';

export const OPEN_BY_CREATED_AT_INDEX = 'OpenByCreatedAt';
export const BY_WORKFLOW_INDEX = 'ByWorkflow';
export const CLOSED_BY_MONTH_INDEX = 'ClosedByMonth';
const APPROVAL_SORT_KEY = 'APPROVAL';
/** How long a closed approval stays readable before TTL may delete it. */
export const CLOSED_RETENTION_SECONDS = 90 * 24 * 60 * 60;

interface ApprovalItem extends Approval {
  pk: string;
  sk: string;
  workflowKey: string;
  openStatus?: OpenStatus;
  openSince?: string;
  /** Closed items: the UTC month they closed in (`2026-11`), and when (`<updatedAt>#<id>`), for ClosedByMonth. */
  closedMonth?: string;
  closedSince?: string;
  purgeAt?: number;
}

/** BatchGetItem reads at most 100 keys a request. */
const BATCH_GET_MAX_KEYS = 100;
/** Rounds in a row that read nothing before a batch read gives up (each waits longer: 25 ms, 50 ms, … 1.6 s). */
const BATCH_GET_MAX_IDLE_ROUNDS = 7;

type ItemKey = { pk: string; sk: string };

const keyOf = (id: string) => ({ pk: `APPROVAL#${id}`, sk: APPROVAL_SORT_KEY });
const workflowKeyOf = (source: SourceKind, workflowRef: string) => `${source}#${workflowRef}`;

function toItem(approval: Approval): ApprovalItem {
  const item: ApprovalItem = {
    ...approval,
    ...keyOf(approval.id),
    workflowKey: workflowKeyOf(approval.source, approval.workflowRef),
  };
  if (isOpen(approval.status)) {
    item.openStatus = approval.status;
    item.openSince = `${approval.createdAt}#${approval.id}`;
  } else {
    item.purgeAt = Math.floor(Date.parse(approval.updatedAt) / 1000) + CLOSED_RETENTION_SECONDS;
    item.closedMonth = approval.updatedAt.slice(0, 7);
    item.closedSince = `${approval.updatedAt}#${approval.id}`;
  }
  return item;
}

function fromItem(item: Record<string, unknown>): Approval {
  const {
    pk: _pk,
    sk: _sk,
    workflowKey: _w,
    openStatus: _o,
    openSince: _s,
    closedMonth: _m,
    closedSince: _c,
    purgeAt: _p,
    ...approval
  } = item;
  return approval as unknown as Approval;
}

/** An UpdateExpression that turns `before` into `after` (keys aside): SET what changed or appeared, REMOVE what went. */
function changedAttributes(before: ApprovalItem, after: ApprovalItem) {
  const set: string[] = [];
  const remove: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const was = before as unknown as Record<string, unknown>;
  const now = after as unknown as Record<string, unknown>;
  for (const [index, attribute] of [...new Set([...Object.keys(was), ...Object.keys(now)])].entries()) {
    if (attribute === 'pk' || attribute === 'sk') continue;
    const value = now[attribute];
    if (value === undefined) {
      if (was[attribute] === undefined) continue;
      names[`#a${index}`] = attribute;
      remove.push(`#a${index}`);
    } else if (JSON.stringify(value) !== JSON.stringify(was[attribute])) {
      names[`#a${index}`] = attribute;
      values[`:a${index}`] = value;
      set.push(`#a${index} = :a${index}`);
    }
  }
  const updates = [
    set.length > 0 ? `SET ${set.join(', ')}` : '',
    remove.length > 0 ? `REMOVE ${remove.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { updates, names, values };
}

function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

function decodeCursor(cursor: string, status: OpenStatus): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const valid =
      typeof key === 'object' &&
      key !== null &&
      Object.keys(key).sort().join(',') === 'openSince,openStatus,pk,sk' &&
      key.openStatus === status &&
      key.sk === APPROVAL_SORT_KEY &&
      typeof key.pk === 'string' &&
      /^APPROVAL#apr_[0-9a-f]{32}$/.test(key.pk) &&
      typeof key.openSince === 'string' &&
      /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#apr_[0-9a-f]{32}$/.test(key.openSince);
    if (!valid) throw new Error('unexpected cursor shape');
    return key;
  } catch (error) {
    throw new InvalidCursorError({ cause: error });
  }
}

export class DynamoApprovalStore implements ApprovalStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(approval: Approval): Promise<CreateResult> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(approval),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'already-exists';
      throw error;
    }
  }

  async get(id: string): Promise<Approval | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(id), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async update(approval: Approval, previous?: Approval): Promise<void> {
    const expectedVersion = approval.version - 1;
    const condition = {
      ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': expectedVersion },
    };
    try {
      if (previous?.version === expectedVersion) {
        // Only the attributes that changed: the whole item (history, votes, context) is most of a write's bytes, and
        // marshalling it most of the client's work. The version condition makes the result the same as a PutItem.
        const { updates, names, values } = changedAttributes(toItem(previous), toItem(approval));
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keyOf(approval.id),
            UpdateExpression: updates,
            ConditionExpression: condition.ConditionExpression,
            ExpressionAttributeNames: { ...condition.ExpressionAttributeNames, ...names },
            ExpressionAttributeValues: { ...condition.ExpressionAttributeValues, ...values },
          }),
        );
      } else {
        await this.client.send(new PutCommand({ TableName: this.tableName, Item: toItem(approval), ...condition }));
      }
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ApprovalVersionConflictError(approval.id, expectedVersion, { cause: error });
      }
      throw error;
    }
  }

  async castDecidingVote(write: DecidingVote): Promise<DecidingVoteResult> {
    const toGo = write.decision === 'approve' ? 'approvalsToGo' : 'rejectionsToGo';
    // The terms of admitsDecidingVote (domain/ballot.ts), plus pending and the deadline, as one condition.
    const condition = [
      '#status = :pending',
      '#expiresAt > :now',
      '#ballot.#directory = :directory',
      'contains(#ballot.#eligible, :person)',
      'NOT contains(#ballot.#voted, :person)',
      '#ballot.#toGo = :one',
      ...(write.decision === 'approve'
        ? ['(attribute_not_exists(#ballot.#requester) OR #ballot.#requester <> :person)']
        : []),
      ...(write.idempotencyKey === undefined ? [] : ['NOT contains(#ballot.#keys, :key)']),
    ];
    const updates = [
      '#status = :resuming',
      // Keeps the OpenByCreatedAt index in step, as toItem does for an open status.
      '#openStatus = :resuming',
      '#outcome = :outcome',
      '#resumeAttempts = :one',
      '#resumeLeaseUntil = :lease',
      '#votes = list_append(#votes, :vote)',
      '#history = list_append(#history, :history)',
      '#ballot.#voted = list_append(#ballot.#voted, :people)',
      '#ballot.#toGo = :zero',
      '#version = #version + :one',
      '#updatedAt = :now',
      ...(write.idempotencyKey === undefined ? [] : ['#ballot.#keys = list_append(#ballot.#keys, :keys)']),
    ];
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(write.approvalId),
          UpdateExpression: `SET ${updates.join(', ')}`,
          ConditionExpression: condition.join(' AND '),
          ExpressionAttributeNames: {
            '#status': 'status',
            '#openStatus': 'openStatus',
            '#expiresAt': 'expiresAt',
            '#ballot': 'ballot',
            '#directory': 'directory',
            '#eligible': 'eligible',
            '#voted': 'voted',
            '#toGo': toGo,
            ...(write.decision === 'approve' ? { '#requester': 'requester' } : {}),
            ...(write.idempotencyKey === undefined ? {} : { '#keys': 'keys' }),
            '#outcome': 'outcome',
            '#resumeAttempts': 'resumeAttempts',
            '#resumeLeaseUntil': 'resumeLeaseUntil',
            '#votes': 'votes',
            '#history': 'history',
            '#version': 'version',
            '#updatedAt': 'updatedAt',
          },
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':resuming': 'resuming',
            ':now': write.now,
            ':directory': write.directory,
            ':person': write.person,
            ':people': [write.person],
            ':one': 1,
            ':zero': 0,
            ':outcome': write.outcome,
            ':lease': write.resumeLeaseUntil,
            ':vote': [write.vote],
            ':history': [write.history],
            ...(write.idempotencyKey === undefined
              ? {}
              : { ':key': write.idempotencyKey, ':keys': [write.idempotencyKey] }),
          },
          ReturnValues: 'ALL_NEW',
          // Why it failed is in the item as it stood; the caller judges it there without reading it again.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { written: true, approval: fromItem(Attributes ?? {}) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // DynamoDB returns the item in its wire form (the document client does not convert errors); dynalite, the local
      // DynamoDB, returns none: then the caller reads it.
      return error.Item === undefined
        ? { written: false }
        : { written: false, approval: fromItem(unmarshall(error.Item)) };
    }
  }

  async listOpen(query: { status: OpenStatus; limit: number; cursor?: string }): Promise<OpenApprovalsPage> {
    const startKey = query.cursor === undefined ? undefined : decodeCursor(query.cursor, query.status);
    // One item more than asked tells whether another page exists, so the last page never hands out a cursor to an
    // empty page.
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: OPEN_BY_CREATED_AT_INDEX,
        KeyConditionExpression: 'openStatus = :status',
        ExpressionAttributeValues: { ':status': query.status },
        Limit: query.limit + 1,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const keys = (page.Items ?? []) as Array<Pick<ApprovalItem, 'pk' | 'sk' | 'openStatus' | 'openSince'>>;
    const shown = keys.slice(0, query.limit);
    const last = shown.at(-1);
    // More items than asked: continue after the last one shown. Fewer, yet a LastEvaluatedKey: DynamoDB stopped at
    // its 1 MB page size, so continue where it stopped. The cursor is the index position, whatever the reads find.
    const nextCursor =
      keys.length > query.limit && last
        ? encodeCursor({ pk: last.pk, sk: last.sk, openStatus: last.openStatus, openSince: last.openSince })
        : encodeCursor(page.LastEvaluatedKey);
    // The index lags the table a little: an approval that has moved on since (closed, or from pending to resuming)
    // is not in this status any more, and is left out.
    const items = (await this.readWhole(shown)).filter((item) => item.openStatus === query.status);
    return {
      items: items.map((item) => fromItem(item as unknown as Record<string, unknown>)),
      ...(nextCursor ? { nextCursor } : {}),
    };
  }

  async findByWorkflow(source: SourceKind, workflowRef: string): Promise<Approval[]> {
    const keys: ItemKey[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: BY_WORKFLOW_INDEX,
          KeyConditionExpression: 'workflowKey = :workflowKey',
          ExpressionAttributeValues: { ':workflowKey': workflowKeyOf(source, workflowRef) },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      keys.push(...((page.Items ?? []) as ItemKey[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return (await this.readWhole(keys)).map((item) => fromItem(item as unknown as Record<string, unknown>));
  }

  async listClosedSince(query: { since: Date; now: Date; limit: number }): Promise<Approval[]> {
    const since = query.since.toISOString();
    // `~` sorts after every id character: everything closed up to and including `now`.
    const until = `${query.now.toISOString()}#~`;
    const keys: ItemKey[] = [];
    // One partition per month keeps the index's partitions small; walk back from this month to the first one.
    for (const month of monthsBetween(query.since, query.now)) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: CLOSED_BY_MONTH_INDEX,
            KeyConditionExpression: 'closedMonth = :month AND closedSince BETWEEN :since AND :until',
            ExpressionAttributeValues: { ':month': month, ':since': since, ':until': until },
            ScanIndexForward: false,
            Limit: query.limit - keys.length,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        keys.push(...((page.Items ?? []) as ItemKey[]));
        startKey = page.LastEvaluatedKey;
      } while (startKey && keys.length < query.limit);
      if (keys.length >= query.limit) break;
    }
    return (await this.readWhole(keys)).map((item) => fromItem(item as unknown as Record<string, unknown>));
  }

  /**
   * The whole items behind index keys, in the keys' order; one that is gone meanwhile (TTL) is left out. BatchGetItem
   * with ConsistentRead, 100 keys a request; keys it leaves unprocessed (throttling, its 16 MB response limit) are
   * asked again, after a growing pause when a round read nothing.
   */
  private async readWhole(keys: readonly ItemKey[]): Promise<ApprovalItem[]> {
    const found = new Map<string, ApprovalItem>();
    for (let from = 0; from < keys.length; from += BATCH_GET_MAX_KEYS) {
      let pending = keys.slice(from, from + BATCH_GET_MAX_KEYS).map(({ pk, sk }) => ({ pk, sk }));
      for (let idleRounds = 0; pending.length > 0; ) {
        const output = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
        );
        const items = (output.Responses?.[this.tableName] ?? []) as ApprovalItem[];
        for (const item of items) found.set(item.pk, item);
        pending = (output.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as ItemKey[];
        if (pending.length === 0) break;
        idleRounds = items.length > 0 ? 0 : idleRounds + 1;
        if (idleRounds >= BATCH_GET_MAX_IDLE_ROUNDS) throw new UnprocessedReadError(pending.length);
        if (idleRounds > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** (idleRounds - 1)));
      }
    }
    return keys.flatMap((key) => {
      const item = found.get(key.pk);
      return item ? [item] : [];
    });
  }
}

/** `YYYY-MM` of every UTC month from `now`'s back to `since`'s, newest first. */
function monthsBetween(since: Date, now: Date): string[] {
  const months: string[] = [];
  const cursor = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const first = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), 1);
  while (cursor.getTime() >= first && months.length < 24) {
    months.push(cursor.toISOString().slice(0, 7));
    cursor.setUTCMonth(cursor.getUTCMonth() - 1);
  }
  return months;
}
