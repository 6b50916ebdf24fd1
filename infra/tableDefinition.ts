// Reads the DynamoDB schema from infra/table.yml — the one definition serverless.yml deploys — and turns it into a
// CreateTable input for the local stack (dynalite) and the integration tests, so keys and indexes are never copied.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  Projection,
} from '@aws-sdk/client-dynamodb';
import { parse, type Tags } from 'yaml';

export const APPROVALS_TABLE_LOGICAL_ID = 'ApprovalsTable';
export const defaultTableYmlPath = fileURLToPath(new URL('table.yml', import.meta.url));

// CloudFormation short-form intrinsics (!Ref, !GetAtt, !Sub, ...) are not YAML core tags; map each one to its long
// form ({ Ref: ... }, { 'Fn::GetAtt': [...] }) so any CloudFormation YAML parses. Osls does the same when it loads
// ${file(...)}.
const INTRINSICS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
] as const;

function longForm(name: string, value: unknown): Record<string, unknown> {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  // !GetAtt Resource.Attribute is short for [Resource, Attribute].
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

export const cloudFormationYamlTags: Tags = ['Ref', 'Condition', ...INTRINSICS].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => longForm(name, value) },
  {
    tag: `!${name}`,
    collection: 'seq' as const,
    resolve: (seq: { toJSON(): unknown }) => longForm(name, seq.toJSON()),
  },
  {
    tag: `!${name}`,
    collection: 'map' as const,
    resolve: (map: { toJSON(): unknown }) => longForm(name, map.toJSON()),
  },
]);

/** Parses YAML that may contain CloudFormation short-form tags. */
export function parseCloudFormationYaml(text: string): unknown {
  return parse(text, { customTags: cloudFormationYamlTags });
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

function approvalsTableProperties(tableYmlPath: string): Dict {
  const doc = parseCloudFormationYaml(readFileSync(tableYmlPath, 'utf8'));
  const resource = isDict(doc) && isDict(doc.Resources) ? doc.Resources[APPROVALS_TABLE_LOGICAL_ID] : undefined;
  if (!isDict(resource) || resource.Type !== 'AWS::DynamoDB::Table' || !isDict(resource.Properties)) {
    throw new Error(`${tableYmlPath}: expected Resources.${APPROVALS_TABLE_LOGICAL_ID} of type AWS::DynamoDB::Table`);
  }
  return resource.Properties;
}

function list<T>(value: unknown, what: string): T[] {
  if (!Array.isArray(value) || value.length === 0) throw new Error(`table.yml: ${what} must be a non-empty list`);
  return value as T[];
}

const keySchema = (value: unknown, what: string): KeySchemaElement[] =>
  list<Dict>(value, what).map((k) => ({
    AttributeName: String(k.AttributeName),
    KeyType: String(k.KeyType) as KeySchemaElement['KeyType'],
  }));

const PROJECTION_TYPES = ['ALL', 'KEYS_ONLY', 'INCLUDE'] as const;

/** An index's Projection, checked (dynalite honours it: a KEYS_ONLY index returns keys only, as DynamoDB does). */
function projection(value: unknown, what: string): Projection {
  const type = isDict(value) ? value.ProjectionType : undefined;
  if (!PROJECTION_TYPES.includes(type as (typeof PROJECTION_TYPES)[number])) {
    throw new Error(`table.yml: ${what}.ProjectionType must be one of ${PROJECTION_TYPES.join(', ')}`);
  }
  const nonKey = (value as Dict).NonKeyAttributes;
  if (type !== 'INCLUDE') {
    if (nonKey !== undefined) throw new Error(`table.yml: ${what}.NonKeyAttributes is only for ProjectionType INCLUDE`);
    return { ProjectionType: type as Projection['ProjectionType'] };
  }
  return { ProjectionType: 'INCLUDE', NonKeyAttributes: list<unknown>(nonKey, `${what}.NonKeyAttributes`).map(String) };
}

/**
 * CreateTable input for the approvals table as defined in infra/table.yml: attribute definitions, key schema, global
 * secondary indexes and billing mode. TableName comes from the caller (table.yml's own name is a deploy-time variable).
 * TTL is not part of CreateTable (and dynalite has no UpdateTimeToLive): see {@link approvalsTableTtlAttribute}.
 */
export function loadApprovalsTableDefinition(
  tableName: string,
  tableYmlPath: string = defaultTableYmlPath,
): CreateTableCommandInput {
  const props = approvalsTableProperties(tableYmlPath);
  const gsis = props.GlobalSecondaryIndexes === undefined ? [] : list<Dict>(props.GlobalSecondaryIndexes, 'GSIs');
  return {
    TableName: tableName,
    BillingMode: (props.BillingMode ?? 'PROVISIONED') as CreateTableCommandInput['BillingMode'],
    AttributeDefinitions: list<Dict>(props.AttributeDefinitions, 'AttributeDefinitions').map((a) => ({
      AttributeName: String(a.AttributeName),
      AttributeType: String(a.AttributeType) as AttributeDefinition['AttributeType'],
    })),
    KeySchema: keySchema(props.KeySchema, 'KeySchema'),
    ...(gsis.length > 0 && {
      GlobalSecondaryIndexes: gsis.map(
        (gsi): GlobalSecondaryIndex => ({
          IndexName: String(gsi.IndexName),
          KeySchema: keySchema(gsi.KeySchema, `${gsi.IndexName}.KeySchema`),
          Projection: projection(gsi.Projection, `${gsi.IndexName}.Projection`),
        }),
      ),
    }),
  };
}

/** The TTL attribute of the approvals table (TimeToLiveSpecification.AttributeName), or undefined if TTL is off. */
export function loadApprovalsTableTtlAttribute(tableYmlPath: string = defaultTableYmlPath): string | undefined {
  const ttl = approvalsTableProperties(tableYmlPath).TimeToLiveSpecification;
  return isDict(ttl) && ttl.Enabled === true && typeof ttl.AttributeName === 'string' ? ttl.AttributeName : undefined;
}

/** Epoch-seconds attribute DynamoDB TTL purges on (read once from infra/table.yml). */
export const approvalsTableTtlAttribute: string | undefined = loadApprovalsTableTtlAttribute();
