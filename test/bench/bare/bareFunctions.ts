/**
 * The baselines for the benchmark: functions that do only the unavoidable work, with the same SDK clients and the
 * same client configuration (createDocumentClient, the SDK's standard chain) as the real functions.
 *
 * - bare decision (two calls): one conditional UpdateItem on the approval item (pending → approved, the vote
 *   appended, version bumped, out of the open index; ReturnValues ALL_NEW hands back the task token) and one
 *   SendTaskSuccess. No signature check, no policy, no read before the write, no outbound event. Not exactly-once
 *   safe: a crash between the write and the answer leaves an `approved` item whose workflow was never answered.
 * - bare exactly-once decision (three calls), the floor of a decision that survives a crash anywhere: one
 *   conditional UpdateItem that records the vote and moves pending → resuming (the claim: only its winner answers;
 *   ALL_NEW hands back the task token), the SendTaskSuccess, and one conditional UpdateItem resuming → approved
 *   (out of the open index). Still no signature check, no policy, no outbound event — or, as a third baseline, the
 *   same and then one PutEvents (an outbound event on the request path, as Greenlight still sends it).
 * - bare list: one Query on OpenByCreatedAt with the same Limit, items returned as stored.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createDocumentClient } from '../../../shared/runtime/createDocumentClient';
import { OPEN_BY_CREATED_AT_INDEX } from '../../../shared/store/dynamoApprovalStore';
import type { BareHandler } from '../lib/bareApi';

const json = (statusCode: number, body: unknown) => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Builds the clients when called (after the stack has set the endpoints), as a cold start would. */
export function createBareDecisionHandler(): BareHandler {
  const documentClient = createDocumentClient();
  const sfn = new SFNClient({});
  const tableName = process.env.APPROVALS_TABLE_NAME;
  return async (event: APIGatewayProxyEventV2) => {
    const id = event.pathParameters?.id ?? '';
    const body = JSON.parse(event.body ?? '{}') as { decision: string; approver: string };
    const now = new Date().toISOString();
    const { Attributes } = await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `APPROVAL#${id}`, sk: 'APPROVAL' },
        UpdateExpression:
          'SET #status = :approved, #outcome = :approved, #votes = list_append(#votes, :vote), ' +
          '#version = #version + :one, #updatedAt = :now REMOVE #openStatus, #openSince',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#outcome': 'outcome',
          '#votes': 'votes',
          '#version': 'version',
          '#updatedAt': 'updatedAt',
          '#openStatus': 'openStatus',
          '#openSince': 'openSince',
        },
        ExpressionAttributeValues: {
          ':approved': 'approved',
          ':pending': 'pending',
          ':one': 1,
          ':now': now,
          ':vote': [{ approver: body.approver, decision: body.decision, channel: 'rest', at: now }],
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const sourceRef = Attributes?.sourceRef as { taskToken?: string } | undefined;
    if (!sourceRef?.taskToken) throw new Error(`approval ${id} holds no task token`);
    const taskToken = sourceRef.taskToken;
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken,
        output: JSON.stringify({ approvalId: id, outcome: 'approved', decidedBy: [body.approver], channel: 'rest' }),
      }),
    );
    return json(200, { id, status: 'approved' });
  };
}

/**
 * The floor of an exactly-once decision: claim (vote + pending → resuming), answer, record the outcome. With
 * `announce`, then one PutEvents of the outcome as well (what an outbound event on the request path costs).
 */
export function createBareExactlyOnceDecisionHandler(options: { announce?: boolean } = {}): BareHandler {
  const documentClient = createDocumentClient();
  const sfn = new SFNClient({});
  const eventBridge = new EventBridgeClient({});
  const tableName = process.env.APPROVALS_TABLE_NAME;
  return async (event: APIGatewayProxyEventV2) => {
    const id = event.pathParameters?.id ?? '';
    const body = JSON.parse(event.body ?? '{}') as { decision: string; approver: string };
    const now = new Date().toISOString();
    const key = { pk: `APPROVAL#${id}`, sk: 'APPROVAL' };
    const { Attributes } = await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression:
          'SET #status = :resuming, #openStatus = :resuming, #outcome = :approved, ' +
          '#votes = list_append(#votes, :vote), #version = #version + :one, #updatedAt = :now',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#openStatus': 'openStatus',
          '#outcome': 'outcome',
          '#votes': 'votes',
          '#version': 'version',
          '#updatedAt': 'updatedAt',
        },
        ExpressionAttributeValues: {
          ':resuming': 'resuming',
          ':approved': 'approved',
          ':pending': 'pending',
          ':one': 1,
          ':now': now,
          ':vote': [{ approver: body.approver, decision: body.decision, channel: 'rest', at: now }],
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const sourceRef = Attributes?.sourceRef as { taskToken?: string } | undefined;
    if (!sourceRef?.taskToken) throw new Error(`approval ${id} holds no task token`);
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: sourceRef.taskToken,
        output: JSON.stringify({ approvalId: id, outcome: 'approved', decidedBy: [body.approver], channel: 'rest' }),
      }),
    );
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'SET #status = :approved, #version = #version + :one REMOVE #openStatus, #openSince',
        ConditionExpression: '#version = :claimed',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#version': 'version',
          '#openStatus': 'openStatus',
          '#openSince': 'openSince',
        },
        ExpressionAttributeValues: { ':approved': 'approved', ':one': 1, ':claimed': Attributes?.version },
      }),
    );
    if (options.announce) {
      await eventBridge.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: process.env.EVENT_BUS_NAME,
              Source: 'greenlight.bench',
              DetailType: 'Approval Decided',
              Detail: JSON.stringify({ approvalId: id }),
            },
          ],
        }),
      );
    }
    return json(200, { id, status: 'approved' });
  };
}

export function createBareListHandler(): BareHandler {
  const documentClient = createDocumentClient();
  const tableName = process.env.APPROVALS_TABLE_NAME;
  return async (event: APIGatewayProxyEventV2) => {
    const query = event.queryStringParameters ?? {};
    const cursor = query.cursor ? JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')) : undefined;
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: OPEN_BY_CREATED_AT_INDEX,
        KeyConditionExpression: 'openStatus = :status',
        ExpressionAttributeValues: { ':status': query.status ?? 'pending' },
        Limit: Number(query.limit ?? 25),
        ...(cursor ? { ExclusiveStartKey: cursor } : {}),
      }),
    );
    const next = page.LastEvaluatedKey
      ? Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url')
      : undefined;
    return json(200, { items: page.Items ?? [], ...(next ? { nextCursor: next } : {}) });
  };
}
