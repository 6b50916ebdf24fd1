/**
 * The whole service on one machine with no AWS account: dynalite (on disk when given a data folder), wire-level
 * stand-ins for Step Functions, Image Builder, SSM, Lambda durable executions and EventBridge, EventBridge routing
 * read from serverless.yml, the functions themselves (unchanged), and a small HTTP server for people.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RestClientCredentials } from '../../shared/channels/restSignature';
import { createReviewLinkToken, type ReviewLinkKeys, reviewLinkUrl } from '../../shared/channels/reviewLinks';
import { createDocumentClient } from '../../shared/runtime/createDocumentClient';
import { policyDocument } from '../../shared/runtime/policy';
import { DynamoApprovalStore } from '../../shared/store/dynamoApprovalStore';
import type { EventBusKind } from './eventRules';
import { ensureLocalIamUsers, type LocalIamUsers } from './iamAuthorization';
import { ensureApprovalsTable, LOCAL_CREDENTIALS, startLocalDynamo } from './localDynamo';
import { busFor, LocalEventBus } from './localEventBus';
import { LocalFunctions } from './localFunctions';
import { startLocalHttpServer } from './localHttpServer';
import { type LocalOidcProvider, startLocalOidcProvider } from './localOidcProvider';
import { type SlackStandin, startSlackStandin } from './slackStandin';
import { type AwsStandins, type DeliveredEntry, startAwsStandins } from './standins';

export const LOCAL_TABLE_NAME = 'greenlight-local-approvals';
export const LOCAL_EVENT_BUS_NAME = 'greenlight-local';
/** Where `Approval Decision` events go (serverless.yml custom.decisionBusName). */
export const LOCAL_DECISION_BUS_NAME = 'greenlight-local-decisions';

/** Which local bus a PutEvents entry's EventBusName (a name or an ARN) means. */
function busNamed(name: string | undefined): EventBusKind {
  if (!name || name === 'default' || name.endsWith(':event-bus/default')) return 'default';
  const decisions = name === LOCAL_DECISION_BUS_NAME || name.endsWith(`:event-bus/${LOCAL_DECISION_BUS_NAME}`);
  return decisions ? 'decisions' : 'custom';
}
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '111122223333';
/** Where the REST clients' secrets live: `<prefix><client name>` (REST_CLIENT_SECRETS_PREFIX). */
export const REST_CLIENT_SECRETS_PREFIX = '/greenlight/local/clients/';
/**
 * The REST clients the local stack gives a secret, both declared in infra/policy.json `clients`: `release-bot` acts
 * for people (any `email:*@example.com`, and alice and carol under any of their identities), `ci-gate` decides as
 * itself. (`alice-cli`, acting for alice only, is declared without a secret: put one to use it.)
 */
export const LOCAL_REST_CLIENTS = ['release-bot', 'ci-gate'] as const;
/** The client `npm run api` and the test harness sign as unless told otherwise. */
export const DEFAULT_REST_CLIENT = 'release-bot';
export const REVIEW_LINK_KEYS_PARAMETER = '/greenlight/local/review-link-keys';
export const SLACK_BOT_TOKEN_PARAMETER = '/greenlight/local/slack-bot-token';
export const SLACK_SIGNING_SECRET_PARAMETER = '/greenlight/local/slack-signing-secret';
/** The web inbox's OpenID Connect client (`{"issuer", "clientId", "clientSecret"}`) and session keys. */
export const SSO_OIDC_PARAMETER = '/greenlight/local/sso-oidc';
export const SSO_SESSION_KEYS_PARAMETER = '/greenlight/local/sso-session-keys';
const SSO_CLIENT_SECRET_PARAMETER = '/greenlight/local/sso-client-secret';
export const LOCAL_EMAIL_FROM = 'approvals@greenlight.example';
/** The Slack workspace and app the local stack's interactions come from (SLACK_TEAM_ID / SLACK_APP_ID). */
export const LOCAL_SLACK_TEAM_ID = 'T0GREENLIT';
export const LOCAL_SLACK_APP_ID = 'A0GREENLIT';

export interface LocalStackOptions {
  /** Folder for the DynamoDB data, the stand-ins' state and dead letters; in memory when absent. */
  dataDir?: string;
  httpPort?: number;
  standinsPort?: number;
  dynamoPort?: number;
  slackPort?: number;
  /** The local OpenID Connect provider the inbox signs people in with. */
  oidcPort?: number;
  /** Runs the lifecycle function's schedule this often, as the EventBridge schedule in serverless.yml does. */
  sweepEverySeconds?: number;
}

export interface LocalStack {
  httpUrl: string;
  dynamoEndpoint: string;
  standins: AwsStandins;
  slack: SlackStandin;
  slackSigningSecret: string;
  /** The workspace and app Slack interactions must come from here (`team.id`, `api_app_id`). */
  slackTeamId: string;
  slackAppId: string;
  store: DynamoApprovalStore;
  functions: LocalFunctions;
  /** A REST client's name and secret as kept in the SSM stand-in (default: `release-bot`); throws when it has none. */
  restClient(name?: string): RestClientCredentials;
  /** The local IAM users (alice, bob, carol) whose SigV4 signatures the `/v1/iam` routes accept, and their profiles. */
  iam: LocalIamUsers;
  /** The local OpenID Connect provider (alice, bob and carol sign in with their name and any password). */
  oidc: LocalOidcProvider;
  /** A review link for this approver, signed like the notifications sign theirs (valid 7 days). */
  reviewLink(approvalId: string, approver: string): string;
  /** Runs the lifecycle sweep once, as its EventBridge schedule would. */
  sweep(): ReturnType<LocalFunctions['invokeAsync']>;
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
    AWS_ENDPOINT_URL_SESV2: standinsUrl,
    // Greenlight's answers to durable functions; the functions themselves run in this process, not behind a Lambda API.
    AWS_ENDPOINT_URL_LAMBDA: standinsUrl,
    AWS_ENDPOINT_URL_CODEPIPELINE: standinsUrl,
    APPROVALS_TABLE_NAME: LOCAL_TABLE_NAME,
    EVENT_BUS_NAME: LOCAL_EVENT_BUS_NAME,
    POWERTOOLS_SERVICE_NAME: 'greenlight',
    REST_CLIENT_SECRETS_PREFIX,
    REVIEW_LINK_KEYS_PARAMETER,
    SLACK_BOT_TOKEN_PARAMETER,
    SLACK_SIGNING_SECRET_PARAMETER,
    SSO_OIDC_PARAMETER,
    SSO_SESSION_KEYS_PARAMETER,
    // Interactions from another workspace or app are refused, as on AWS once these are set.
    SLACK_TEAM_ID: LOCAL_SLACK_TEAM_ID,
    SLACK_APP_ID: LOCAL_SLACK_APP_ID,
    EMAIL_FROM_ADDRESS: LOCAL_EMAIL_FROM,
    // The role the sample runbook lists among its approvers so that Greenlight may signal it.
    GREENLIGHT_ROLE_ARN: `arn:aws:iam::${LOCAL_ACCOUNT}:role/greenlight-resume`,
  });
}

/**
 * A client's credentials from the value of its secret parameter: the secret, or the first of a JSON array (while
 * rotating, put the new secret first). Throws when the client has no parameter.
 */
export function restClientCredentials(name: string, parameterValue: string | undefined): RestClientCredentials {
  if (parameterValue === undefined) {
    throw new Error(`the REST client ${name} has no secret (${REST_CLIENT_SECRETS_PREFIX}${name})`);
  }
  const secret = parameterValue.trimStart().startsWith('[')
    ? (JSON.parse(parameterValue) as string[])[0]
    : parameterValue;
  if (!secret) throw new Error(`the secret parameter of REST client ${name} is empty`);
  return { keyId: name, secret };
}

/** The secrets the functions read from Parameter Store (REST clients' included): made once, kept with the stand-ins' state. */
function ensureSecrets(standins: AwsStandins): LocalSecrets {
  const ensure = (name: string, make: () => string) => {
    if (standins.ssm.parameterValue(name) === undefined) standins.ssm.putParameter(name, make());
    return standins.ssm.parameterValue(name) as string;
  };
  for (const client of LOCAL_REST_CLIENTS) {
    ensure(`${REST_CLIENT_SECRETS_PREFIX}${client}`, () => randomBytes(32).toString('hex'));
  }
  ensure(SSO_SESSION_KEYS_PARAMETER, () =>
    JSON.stringify({ currentKeyId: 'local-1', keys: { 'local-1': randomBytes(32).toString('hex') } }),
  );
  return {
    ssoClientSecret: ensure(SSO_CLIENT_SECRET_PARAMETER, () => randomBytes(24).toString('hex')),
    slackBotToken: ensure(SLACK_BOT_TOKEN_PARAMETER, () => `xoxb-local-${randomBytes(12).toString('hex')}`),
    slackSigningSecret: ensure(SLACK_SIGNING_SECRET_PARAMETER, () => randomBytes(16).toString('hex')),
    reviewLinkKeys: JSON.parse(
      ensure(REVIEW_LINK_KEYS_PARAMETER, () =>
        JSON.stringify({ currentKeyId: 'local-1', keys: { 'local-1': randomBytes(32).toString('hex') } }),
      ),
    ) as ReviewLinkKeys,
  };
}

interface LocalSecrets {
  reviewLinkKeys: ReviewLinkKeys;
  ssoClientSecret: string;
  slackBotToken: string;
  slackSigningSecret: string;
}

/** What an EventBridge schedule delivers to its target. */
function scheduledEvent(): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/greenlight-local-lifecycle-sweep`],
    detail: {},
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
  const slack = await startSlackStandin({
    botToken: secrets.slackBotToken,
    ...(dataDir ? { statePath: join(dataDir, 'slack-standin.json') } : {}),
    ...(options.slackPort === undefined ? {} : { port: options.slackPort }),
  });
  process.env.SLACK_API_URL = slack.url;

  const functions = new LocalFunctions(dataDir ? { deadLetterPath: join(dataDir, 'dead-letters.jsonl') } : {});
  const bus = new LocalEventBus(functions);
  const publish = (event: unknown, kind?: EventBusKind) =>
    bus.publish(event, kind ?? busFor(event as { source?: unknown }));
  standins.onPutEvents(async (entries) => {
    for (const entry of entries) await publish(toEventEnvelope(entry), busNamed(entry.EventBusName));
  });

  const documentClient = createDocumentClient();
  const store = new DynamoApprovalStore(documentClient, LOCAL_TABLE_NAME);
  const iam = ensureLocalIamUsers(policyDocument.people, dataDir);
  const http = await startLocalHttpServer({
    port: options.httpPort ?? 0,
    store,
    publish,
    functions,
    iamUsers: iam,
    adoptAnnouncedWait: (event) => standins.adoptAnnouncedWait(event),
    outbox: {
      slack,
      standins,
      slackSigningSecret: secrets.slackSigningSecret,
      slackTeamId: LOCAL_SLACK_TEAM_ID,
      slackAppId: LOCAL_SLACK_APP_ID,
    },
  });
  // Links in notifications point at this server, as they point at the HTTP API on AWS; and the review pages accept a
  // decision only when the browser posted it from this origin (set before any function is first loaded).
  process.env.PUBLIC_BASE_URL = http.url;
  // A real OpenID Connect issuer for the inbox; its address and client go where the inbox reads them on AWS (SSM).
  const oidc = await startLocalOidcProvider({
    port: options.oidcPort ?? 0,
    people: policyDocument.people,
    redirectUri: `${http.url}/inbox/callback`,
    clientSecret: secrets.ssoClientSecret,
  });
  standins.ssm.putParameter(
    SSO_OIDC_PARAMETER,
    JSON.stringify({ issuer: oidc.issuer, clientId: oidc.clientId, clientSecret: oidc.clientSecret }),
  );

  const sweep = options.sweepEverySeconds
    ? setInterval(() => void functions.invokeAsync('lifecycle', scheduledEvent()), options.sweepEverySeconds * 1000)
    : undefined;
  sweep?.unref();

  return {
    httpUrl: http.url,
    dynamoEndpoint: dynamo.endpoint,
    standins,
    slack,
    slackSigningSecret: secrets.slackSigningSecret,
    slackTeamId: LOCAL_SLACK_TEAM_ID,
    slackAppId: LOCAL_SLACK_APP_ID,
    store,
    functions,
    publish,
    restClient: (name = DEFAULT_REST_CLIENT) =>
      restClientCredentials(name, standins.ssm.parameterValue(`${REST_CLIENT_SECRETS_PREFIX}${name}`)),
    iam,
    oidc,
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
    sweep: () => functions.invokeAsync('lifecycle', scheduledEvent()),
    close: async () => {
      if (sweep) clearInterval(sweep);
      await http.close();
      await oidc.close();
      await slack.close();
      await standins.close();
      documentClient.destroy();
      await dynamo.close();
    },
  };
}
