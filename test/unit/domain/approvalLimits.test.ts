/**
 * The arithmetic behind the request caps: the largest approval item Greenlight can write — a request at its 32 KiB
 * cap, a rule of the most people one approval may name with the longest identities, every one of them voting with
 * the longest comment through a client, and the full history — stays far below DynamoDB's 400 KB item limit.
 * Sizes follow "DynamoDB item sizes and formats" (CapacityUnitCalculations.html): names + values in UTF-8, numbers
 * 1 byte per two digits + 1, lists and maps 3 bytes + 1 byte per element.
 */
import { describe, expect, it } from 'vitest';
import { openApproval } from '../../../shared/domain/approval';
import { transition } from '../../../shared/domain/approvalStateMachine';
import { MAX_IDENTITY_LENGTH } from '../../../shared/domain/identity';
import { applyPolicy, MAX_PEOPLE_PER_APPROVAL } from '../../../shared/domain/policy';
import { parsePolicyDocument } from '../../../shared/domain/policyDocument';
import { MAX_REQUEST_BYTES, requestBytes } from '../../../shared/sources/approvalRequestSchema';
import { stepFunctionsSource } from '../../../shared/sources/stepfunctions/stepFunctionsSource';
import { sampleEvent } from '../../support/fixtures';

/** The default wait of most sources (openApproval's third argument). */
const SEVEN_DAYS = 7 * 24 * 60 * 60;

const DYNAMODB_ITEM_LIMIT = 400 * 1024;
/** A character that costs 3 bytes in UTF-8 (the most a UTF-16 unit can cost). */
const WIDE = '€';
const MAX_COMMENT_CHARS = 1000;

function dynamoSize(value: unknown): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/\D|^0+|0+$/g, '').length / 2) + 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element) => sum + 1 + dynamoSize(element), 0);
  if (typeof value === 'object') {
    return (
      3 +
      Object.entries(value as Record<string, unknown>).reduce(
        (sum, [name, element]) => sum + 1 + Buffer.byteLength(name, 'utf8') + dynamoSize(element),
        0,
      )
    );
  }
  throw new Error(`no DynamoDB type for ${typeof value}`);
}

/** The longest e-mail identity allowed (identities are ASCII, one byte a character). */
function longestEmail(index: number): string {
  const domain = `@p${index}.example.com`;
  return `email:${'a'.repeat(MAX_IDENTITY_LENGTH - 'email:'.length - domain.length)}${domain}`;
}

/** A Step Functions request filled up to the 32 KiB cap with 3-byte characters. */
async function largestRequest() {
  const event = sampleEvent('stepfunctions/approval-requested');
  delete event.detail.approvers;
  event.detail.title = WIDE.repeat(200);
  event.detail.description = WIDE.repeat(4000);
  event.detail.context = { links: [], fields: {} };
  for (let index = 0; index < 20; index++) {
    const fields = { ...event.detail.context.fields, [`f${index}`]: WIDE.repeat(1000) };
    if (requestBytes({ ...event.detail, context: { ...event.detail.context, fields } }) > MAX_REQUEST_BYTES) break;
    event.detail.context.fields = fields;
  }
  const result = await stepFunctionsSource.waitingSource(stepFunctionsSource.createClient(), {}).capture(event);
  if (result.kind !== 'waiting') throw new Error(`the largest request must be valid, got ${result.kind}`);
  return { item: result.item, bytes: requestBytes(event.detail) };
}

describe('approval item size', () => {
  it(`the largest approval stays below 200 KB (DynamoDB's limit is 400 KB)`, async () => {
    // Prepare: the largest request, a rule naming the most people, each with the longest identity
    const { item, bytes } = await largestRequest();
    const people = Object.fromEntries(
      Array.from({ length: MAX_PEOPLE_PER_APPROVAL }, (_, index) => [
        `person${index}`.padEnd(64, 'x'),
        [longestEmail(index)],
      ]),
    );
    const policy = parsePolicyDocument({
      people,
      rules: [
        {
          name: 'all',
          match: {},
          approvers: Object.values(people).flat(),
          requiredApprovals: MAX_PEOPLE_PER_APPROVAL - 1,
        },
      ],
    });
    const applied = applyPolicy({ ...item, requestedBy: undefined }, policy);
    if (applied.kind !== 'eligible') throw new Error(applied.reason);
    let approval = openApproval(applied.item, new Date('2026-11-29T10:00:00.000Z'), SEVEN_DAYS);
    // Act: every person votes with the longest comment through a client; then the answer and its history
    approval = {
      ...approval,
      votes: applied.item.approvers.map((approver, index) => ({
        approver,
        person: `person:${`person${index}`.padEnd(64, 'x')}`,
        decision: 'approve' as const,
        channel: 'eventbridge' as const,
        via: `eventbridge:${'s'.repeat(256)}`,
        comment: WIDE.repeat(MAX_COMMENT_CHARS),
        at: '2026-11-29T10:00:00.000Z',
        idempotencyKey: 'k'.repeat(255),
        requestHash: 'h'.repeat(32),
      })),
    };
    approval = transition(approval, 'resuming', { at: new Date(), reason: 'decided: approved' });
    approval = { ...approval, outcome: 'approved', resumeAttempts: 99, resumeLeaseUntil: new Date().toISOString() };
    approval = transition(approval, 'failed', { at: new Date(), reason: 'x'.repeat(1024) });
    approval = { ...approval, closedReason: 'x'.repeat(1024) };
    const keys = {
      pk: `APPROVAL#${approval.id}`,
      sk: 'APPROVAL',
      workflowKey: `stepfunctions#${approval.workflowRef}`,
      purgeAt: 1e10,
    };
    const size = dynamoSize({ ...approval, ...keys });
    // Assess: and show the arithmetic
    const votes = dynamoSize(approval.votes);
    const approvers = dynamoSize(approval.approvers);
    const arithmetic = `largest approval item: ${size} B = request ${bytes} B (cap ${MAX_REQUEST_BYTES}) + ${approval.votes.length} votes ${votes} B + ${approval.approvers.length} approvers ${approvers} B + the rest ${size - votes - approvers - bytes} B`;
    expect(bytes).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    expect(approval.votes).toHaveLength(MAX_PEOPLE_PER_APPROVAL);
    // Last measured: 162 259 B = request 31 497 B + 30 votes 120 093 B + 30 approvers 7 713 B + the rest 2 956 B.
    expect(size, arithmetic).toBeLessThan(200 * 1000);
    expect(size, arithmetic).toBeLessThan(DYNAMODB_ITEM_LIMIT);
  });
});
