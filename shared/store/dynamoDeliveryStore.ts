/** DynamoDB adapter of the delivery store: item `APPROVAL#<id>` / `DELIVERY` in the approvals table. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryState, DeliveryStore } from './deliveryStore';
import { DeliveryConflictError } from './errors';

const DELIVERY_SORT_KEY = 'DELIVERY';
const keyOf = (approvalId: string) => ({ pk: `APPROVAL#${approvalId}`, sk: DELIVERY_SORT_KEY });

export class DynamoDeliveryStore implements DeliveryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(approvalId: string): Promise<DeliveryState | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(approvalId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...state } = Item;
    return state as DeliveryState;
  }

  async save(state: DeliveryState): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...state, ...keyOf(state.approvalId) },
          ...(state.revision === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#revision = :previous',
                ExpressionAttributeNames: { '#revision': 'revision' },
                ExpressionAttributeValues: { ':previous': state.revision - 1 },
              }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new DeliveryConflictError(state.approvalId, { cause: error });
      throw error;
    }
  }
}
