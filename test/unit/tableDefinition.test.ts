// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is osls / CloudFormation syntax, not JS.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LOCAL_CREDENTIALS, type LocalDynamo, startLocalDynamo } from '../../infra/local/localDynamo';
import {
  approvalsTableTtlAttribute,
  defaultTableYmlPath,
  loadApprovalsTableDefinition,
  loadApprovalsTableTtlAttribute,
  parseCloudFormationYaml,
} from '../../infra/tableDefinition';

const tableYml = readFileSync(defaultTableYmlPath, 'utf8');
const yamlTable = parse(tableYml).Resources.ApprovalsTable;

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'greenlight-table-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeTableYml(text: string): string {
  const path = join(scratch, `table-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(path, text);
  return path;
}

describe('infra/table.yml', () => {
  it('defines the single approvals table with the agreed keys, indexes, billing, PITR and TTL', () => {
    // The schema the store code relies on (DESIGN.md "Data"); changing table.yml must be deliberate.
    expect(yamlTable.Type).toBe('AWS::DynamoDB::Table');
    expect(yamlTable.Properties).toEqual({
      TableName: '${self:custom.tableName}',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'openStatus', AttributeType: 'S' },
        { AttributeName: 'openSince', AttributeType: 'S' },
        { AttributeName: 'workflowKey', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'S' },
        { AttributeName: 'closedMonth', AttributeType: 'S' },
        { AttributeName: 'closedSince', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'OpenByCreatedAt',
          KeySchema: [
            { AttributeName: 'openStatus', KeyType: 'HASH' },
            { AttributeName: 'openSince', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: 'ByWorkflow',
          KeySchema: [
            { AttributeName: 'workflowKey', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: 'ClosedByMonth',
          KeySchema: [
            { AttributeName: 'closedMonth', KeyType: 'HASH' },
            { AttributeName: 'closedSince', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'purgeAt', Enabled: true },
    });
    expect(Object.keys(parse(tableYml).Resources)).toEqual(['ApprovalsTable']);
  });
});

describe('loadApprovalsTableDefinition', () => {
  it('maps table.yml to a CreateTable input with the given name and no deploy-only settings', () => {
    // Act
    const definition = loadApprovalsTableDefinition('approvals-test');
    // Assess
    const p = yamlTable.Properties;
    expect(definition).toEqual({
      TableName: 'approvals-test',
      BillingMode: p.BillingMode,
      AttributeDefinitions: p.AttributeDefinitions,
      KeySchema: p.KeySchema,
      GlobalSecondaryIndexes: p.GlobalSecondaryIndexes,
    });
  });

  it('exports the TTL attribute separately (CreateTable cannot carry it)', () => {
    expect(approvalsTableTtlAttribute).toBe(yamlTable.Properties.TimeToLiveSpecification.AttributeName);
    expect(approvalsTableTtlAttribute).toBe('purgeAt');
  });

  it('follows table.yml rather than a copy: another file gives another definition', () => {
    // Prepare
    const path = writeTableYml(
      tableYml
        .replace('IndexName: ByWorkflow', 'IndexName: ByPipeline')
        .replace('AttributeName: purgeAt', 'AttributeName: expiresAt'),
    );
    // Act
    const definition = loadApprovalsTableDefinition('t', path);
    // Assess
    expect(definition.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual([
      'OpenByCreatedAt',
      'ByPipeline',
      'ClosedByMonth',
    ]);
    expect(loadApprovalsTableTtlAttribute(path)).toBe('expiresAt');
  });

  it('reports no TTL attribute when TTL is disabled', () => {
    const path = writeTableYml(tableYml.replace(/(AttributeName: purgeAt\s+Enabled:) true/, '$1 false'));
    expect(loadApprovalsTableTtlAttribute(path)).toBeUndefined();
  });

  it('tolerates CloudFormation short-form tags (!Ref, !GetAtt, !Sub, !If ...)', () => {
    // Prepare
    const path = writeTableYml(
      tableYml
        .replace('TableName: ${self:custom.tableName}', 'TableName: !Sub "${AWS::StackName}-approvals"')
        .replace(
          'PointInTimeRecoveryEnabled: true',
          'PointInTimeRecoveryEnabled: !If [IsProd, true, !Ref AWS::NoValue]\n      Tags:\n        - Key: bus\n          Value: !GetAtt ApprovalEventBus.Name',
        ),
    );
    // Act
    const definition = loadApprovalsTableDefinition('tagged', path);
    // Assess
    expect(definition.TableName).toBe('tagged');
    expect(definition.KeySchema).toEqual(yamlTable.Properties.KeySchema);
    expect(
      parseCloudFormationYaml('a: !GetAtt T.Arn\nb: !Join ["", [!Ref X, !Sub "${AWS::Region}"]]\nc: !GetAtt [B, Name]'),
    ).toEqual({
      a: { 'Fn::GetAtt': ['T', 'Arn'] },
      b: { 'Fn::Join': ['', [{ Ref: 'X' }, { 'Fn::Sub': '${AWS::Region}' }]] },
      c: { 'Fn::GetAtt': ['B', 'Name'] },
    });
  });

  it('fails loudly when the file does not define ApprovalsTable', () => {
    const path = writeTableYml('Resources:\n  Other:\n    Type: AWS::SQS::Queue\n');
    expect(() => loadApprovalsTableDefinition('t', path)).toThrow(/ApprovalsTable/);
  });
});

describe('the definition against a real DynamoDB implementation (dynalite)', () => {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startLocalDynamo();
  });
  afterAll(async () => {
    await dynamo?.close();
  });

  it('is accepted by CreateTable and yields the keys and both indexes', async () => {
    // Prepare
    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      // Act
      await client.send(new CreateTableCommand(loadApprovalsTableDefinition('approvals-created')));
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'approvals-created' }));
      // Assess
      expect(Table?.KeySchema).toEqual(yamlTable.Properties.KeySchema);
      expect(
        Table?.GlobalSecondaryIndexes?.map((g) => ({ name: g.IndexName, keys: g.KeySchema, p: g.Projection })),
      ).toEqual(
        yamlTable.Properties.GlobalSecondaryIndexes.map((g: Record<string, unknown>) => ({
          name: g.IndexName,
          keys: g.KeySchema,
          p: g.Projection,
        })),
      );
      expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    } finally {
      client.destroy();
    }
  });
});
