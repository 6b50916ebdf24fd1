/** Helpers for tests that run the in-process local stack (in-memory dynalite, stand-ins, serverless.yml routing). */
import { DeleteCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { LOCAL_TABLE_NAME } from '../../infra/local/localStack';
import { createDocumentClient } from '../../shared/runtime/createDocumentClient';

/**
 * Every item in the local table (tests only: the service itself never scans), page after page: a Scan answers at most
 * 1 MB, which a long suite's table outgrows.
 */
export async function allItems(): Promise<Array<Record<string, unknown>>> {
  const client = createDocumentClient();
  try {
    const items: Array<Record<string, unknown>> = [];
    for await (const page of paginateScan({ client }, { TableName: LOCAL_TABLE_NAME, ConsistentRead: true })) {
      items.push(...(page.Items ?? []));
    }
    return items;
  } finally {
    client.destroy();
  }
}

/** The approval items only (delivery bookkeeping lives beside them under the same key). */
export async function approvalItems(): Promise<Array<Record<string, unknown>>> {
  return (await allItems()).filter((item) => item.sk === 'APPROVAL');
}

export async function clearTable(): Promise<void> {
  const client = createDocumentClient();
  try {
    for (const item of await allItems()) {
      await client.send(new DeleteCommand({ TableName: LOCAL_TABLE_NAME, Key: { pk: item.pk, sk: item.sk } }));
    }
  } finally {
    client.destroy();
  }
}
