/** A real DynamoDB (dynalite, in memory) with the approvals table from infra/table.yml, for integration tests. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureApprovalsTable, startLocalDynamo } from '../../infra/local/localDynamo';
import { createDocumentClient } from '../../shared/runtime/createDocumentClient';
import { DynamoApprovalStore } from '../../shared/store/dynamoApprovalStore';

export interface TestTable {
  endpoint: string;
  tableName: string;
  client: DynamoDBDocumentClient;
  store: DynamoApprovalStore;
  close(): Promise<void>;
}

let tableCount = 0;

export async function startTestTable(): Promise<TestTable> {
  const dynamo = await startLocalDynamo();
  const tableName = `approvals-test-${++tableCount}`;
  await ensureApprovalsTable(dynamo.endpoint, tableName);
  const client = createDocumentClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return {
    endpoint: dynamo.endpoint,
    tableName,
    client,
    store: new DynamoApprovalStore(client, tableName),
    close: async () => {
      client.destroy();
      await dynamo.close();
    },
  };
}
