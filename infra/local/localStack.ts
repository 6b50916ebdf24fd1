/**
 * The whole service on one machine with no AWS account: dynalite (on disk when given a data folder), wire-level
 * stand-ins for Step Functions, Image Builder, SSM and EventBridge, EventBridge routing read from serverless.yml, the
 * functions themselves (unchanged), and a small HTTP server for people.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createReviewLinkToken, type ReviewLinkKeys, reviewLinkUrl } from '../../shared/channels/reviewLinks';
import { createDocumentClient } from '../../shared/runtime/createDocumentClient';
import { DynamoApprovalStore } from '../../shared/store/dynamoApprovalStore';
import type { EventBusKind } from './eventRules';
import { ensureApprovalsTable, LOCAL_CREDENTIALS, startLocalDynamo } from './localDynamo';
import { busFor, LocalEventBus } from './localEventBus';
import { LocalFunctions } from './localFunctions';
import { startLocalHttpServer } from './localHttpServer';
import { type AwsStandins, type DeliveredEntry, startAwsStandins } from './standins';

export const LOCAL_TABLE_NAME = 'greenlight-local-approvals';
export const LOCAL_EVENT_BUS_NAME = 'greenlight-local';
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '111122223333';
export const REST_SIGNING_SECRET_PARAMETER = '/greenlight/local/rest-signing-secret';
export const REVIEW_LINK_KEYS_PARAMETER = '/greenlight/local/review-link-keys';

export interface LocalStackOptions {
  /** Folder for the DynamoDB data, the stand-ins' state and dead letters; in memory when absent. */
  dataDir?: string;
  httpPort?: number;
  standinsPort?: number;
  dynamoPort?: number;
}

export interface LocalStack {
  httpUrl: string;
  dynamoEndpoint: string;
  standins: AwsStandins;
  store: DynamoApprovalStore;
  functions: LocalFunctions;
  restSigningSecret: string;
  /** A review link for this approver, signed like the notifications sign theirs (valid 7 days). */
  reviewLink(approvalId: string, approver: string): string;
  /** Delivers an EventBridge event as AWS would (to the rules in serverless.yml that match it). */
  publish(event: unknown, bus?: EventBusKind): ReturnType<LocalEventBus['publish']>;
  close(): Promise<void>;
}

/** What the functions read from their environment, pointed at the local stand-ins (the SDK's standard variables). */
function configureEnvironment(dynamoEndpoint: string, standinsUrl: string): void {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_ENDPOINT_URL_SFN: standinsUrl,
    AWS_ENDPOINT_URL_IMAGEBUILDER: standinsUrl,
    AWS_ENDPOINT_URL_SSM: standinsUrl,
    AWS_ENDPOINT_URL_EVENTBRIDGE: standinsUrl,
    APPROVALS_TABLE_NAME: LOCAL_TABLE_NAME,
    EVENT_BUS_NAME: LOCAL_EVENT_BUS_NAME,
    POWERTOOLS_SERVICE_NAME: 'greenlight',
    REST_SIGNING_SECRET_PARAMETER,
    REVIEW_LINK_KEYS_PARAMETER,
  });
}

/** The secrets the functions read from Parameter Store: made once, kept with the stand-ins' state. */
function ensureSecrets(standins: AwsStandins): { restSigningSecret: string; reviewLinkKeys: ReviewLinkKeys } {
  if (standins.ssm.parameterValue(REST_SIGNING_SECRET_PARAMETER) === undefined) {
    standins.ssm.putParameter(REST_SIGNING_SECRET_PARAMETER, randomBytes(32).toString('hex'));
  }
  if (standins.ssm.parameterValue(REVIEW_LINK_KEYS_PARAMETER) === undefined) {
    const keys: ReviewLinkKeys = { currentKeyId: 'local-1', keys: { 'local-1': randomBytes(32).toString('hex') } };
    standins.ssm.putParameter(REVIEW_LINK_KEYS_PARAMETER, JSON.stringify(keys));
  }
  return {
    restSigningSecret: standins.ssm.parameterValue(REST_SIGNING_SECRET_PARAMETER) as string,
    reviewLinkKeys: JSON.parse(standins.ssm.parameterValue(REVIEW_LINK_KEYS_PARAMETER) as string) as ReviewLinkKeys,
  };
}

/** The envelope EventBridge delivers for a PutEvents entry. */
function toEventEnvelope(entry: DeliveredEntry): Record<string, unknown> {
  return {
    version: '0',
    id: entry.EventId,
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: LOCAL_ACCOUNT,
    time: (entry.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: entry.Resources ?? [],
    detail: JSON.parse(entry.Detail ?? '{}'),
  };
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const { dataDir } = options;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const dynamo = await startLocalDynamo({
    ...(dataDir ? { path: join(dataDir, 'dynamodb') } : {}),
    ...(options.dynamoPort === undefined ? {} : { port: options.dynamoPort }),
  });
  await ensureApprovalsTable(dynamo.endpoint, LOCAL_TABLE_NAME);
  const standins = await startAwsStandins({
    ...(dataDir ? { statePath: join(dataDir, 'aws-standins.json') } : {}),
    ...(options.standinsPort === undefined ? {} : { port: options.standinsPort }),
  });
  configureEnvironment(dynamo.endpoint, standins.url);
  const secrets = ensureSecrets(standins);

  const functions = new LocalFunctions(dataDir ? { deadLetterPath: join(dataDir, 'dead-letters.jsonl') } : {});
  const bus = new LocalEventBus(functions);
  const publish = (event: unknown, kind?: EventBusKind) =>
    bus.publish(event, kind ?? busFor(event as { source?: unknown }));
  standins.onPutEvents(async (entries) => {
    for (const entry of entries) {
      const kind: EventBusKind = !entry.EventBusName || entry.EventBusName === 'default' ? 'default' : 'custom';
      await publish(toEventEnvelope(entry), kind);
    }
  });

  const documentClient = createDocumentClient();
  const store = new DynamoApprovalStore(documentClient, LOCAL_TABLE_NAME);
  const http = await startLocalHttpServer({ port: options.httpPort ?? 0, store, publish, functions });

  return {
    httpUrl: http.url,
    dynamoEndpoint: dynamo.endpoint,
    standins,
    store,
    functions,
    publish,
    restSigningSecret: secrets.restSigningSecret,
    reviewLink: (approvalId, approver) =>
      reviewLinkUrl(
        http.url,
        approvalId,
        createReviewLinkToken(secrets.reviewLinkKeys, {
          approvalId,
          approver,
          expiresAt: new Date(Date.now() + 7 * 24 * 60 * 60 * 1000),
        }),
      ),
    close: async () => {
      await http.close();
      await standins.close();
      documentClient.destroy();
      await dynamo.close();
    },
  };
}
