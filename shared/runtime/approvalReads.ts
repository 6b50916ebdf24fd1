/**
 * The read side of the HTTP APIs — list open approvals, read one — and the request parts every decision route shares
 * (approval id, Idempotency-Key), for the signed REST API and the IAM-authorised API alike. Answers are the public
 * view only (toPublicApproval), as shared/channels/rest/openapi.yaml documents.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { APPROVAL_ID_PATTERN, toPublicApproval } from '../domain/approval';
import { ApprovalNotFoundError } from '../domain/errors';
import * as z from '../domain/zodMini';
import type { ApprovalStore } from '../store/approvalStore';
import { parseWith } from './httpRequest';
import { jsonResponse } from './httpResponses';

export const listQuery = z.strictObject({
  status: z._default(z.enum(['pending', 'resuming']), 'pending'),
  limit: z._default(z.pipe(z.coerce.number(), z.int().check(z.minimum(1), z.maximum(100))), 25),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});

const idempotencyKey = z
  .string()
  .check(z.minLength(1), z.maxLength(255), z.regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'));

/** A malformed id cannot name an approval: answered like an unknown one. */
export function approvalIdOf(event: APIGatewayProxyEventV2): string {
  const id = event.pathParameters?.id ?? '';
  if (!APPROVAL_ID_PATTERN.test(id)) throw new ApprovalNotFoundError(id.slice(0, 64));
  return id;
}

/** The validated `Idempotency-Key` header, if sent. */
export function idempotencyKeyOf(event: APIGatewayProxyEventV2): { idempotencyKey?: string } {
  const key = event.headers?.['idempotency-key'];
  return key === undefined ? {} : { idempotencyKey: parseWith(idempotencyKey, key, ['Idempotency-Key']) };
}

/** `GET …/approvals?status=&limit=&cursor=`: one page of open approvals. */
export async function listApprovals(
  store: Pick<ApprovalStore, 'listOpen'>,
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  const query = parseWith(listQuery, event.queryStringParameters ?? {}, ['query']);
  const page = await store.listOpen(query);
  return jsonResponse(200, {
    items: page.items.map(toPublicApproval),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  });
}

/** `GET …/approvals/{id}`: one approval. */
export async function getApproval(
  store: Pick<ApprovalStore, 'get'>,
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  const id = approvalIdOf(event);
  const approval = await store.get(id);
  if (!approval) throw new ApprovalNotFoundError(id);
  return jsonResponse(200, toPublicApproval(approval));
}

/** The two read routes under `prefix` (`/v1` signed by a client, `/v1/iam` by AWS): list open approvals, get one. */
export function approvalReadRoutes(store: Pick<ApprovalStore, 'listOpen' | 'get'>, prefix: string) {
  return [
    {
      method: 'GET' as const,
      path: `${prefix}/approvals`,
      handler: (event: APIGatewayProxyEventV2) => listApprovals(store, event),
    },
    {
      method: 'GET' as const,
      path: `${prefix}/approvals/{id}`,
      handler: (event: APIGatewayProxyEventV2) => getApproval(store, event),
    },
  ];
}
