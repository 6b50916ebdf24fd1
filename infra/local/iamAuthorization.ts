/**
 * The local stack's stand-in for API Gateway's IAM authorization (`authorizer: { type: aws_iam }` on an httpApi
 * route): a request must carry an AWS Signature Version 4 for `execute-api`, made with the access key of a known IAM
 * user; the signature is recomputed with `@smithy/signature-v4` over the request as received. A request that passes
 * reaches the function with the caller in `requestContext.authorizer.iam` (payload format 2.0: accessKey, accountId,
 * callerId, cognitoIdentity, principalOrgId, userArn, userId — the fields @types/aws-lambda's
 * APIGatewayEventRequestContextIAMAuthorizer names); one that does not is answered 403 by the gateway and never reaches
 * the function.
 *
 * The 403 answers are the ones API Gateway gives (AWS Knowledge Center, "How do I troubleshoot HTTP 403 errors from
 * API Gateway?" and "... signature mismatch errors when making SigV4 signed requests with IAM authentication to API
 * Gateway"; IAM User Guide, "Troubleshoot signed requests for AWS APIs"): no signature → "Missing Authentication
 * Token"; unknown access key → "The security token included in the request is invalid."; wrong secret, altered
 * method, path, query, headers or body → "The request signature we calculated does not match the signature you
 * provided. …"; X-Amz-Date more than 5 minutes from now → "Signature expired: … is now earlier than … (… - 5 min.)" or
 * "Signature not yet current: … is still later than … (… + 5 min.)". The body is `{"message": "…"}` with the error type
 * in `x-amzn-errortype`.
 *
 * The IAM users are the people of infra/policy.json that have an IAM user ARN (alice, bob, carol): each gets an access
 * key made on first start, kept in `<data>/iam-credentials.json` (access key id → secret, ARN) and written as an AWS
 * shared credentials file `<data>/aws-credentials` with one profile per person, for the greenlight CLI and any SDK.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayEventRequestContextIAMAuthorizer } from 'aws-lambda';
import { EXECUTE_API_SERVICE, NodeSha256, queryOf } from '../../cli/sigV4';
import type { PeopleMap } from '../../shared/domain/policy';

/** How far X-Amz-Date may be from the gateway's clock, either way. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
export const IAM_CREDENTIALS_FILE = 'iam-credentials.json';
export const AWS_CREDENTIALS_FILE = 'aws-credentials';

export interface LocalIamUser {
  /** The profile name in the credentials file: the person's name in the policy. */
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
  arn: string;
}

export interface LocalIamUsers {
  users: LocalIamUser[];
  /** The AWS shared credentials file with a profile per user, when kept in a data folder. */
  credentialsFile?: string;
}

export type IamAuthorizerContext = APIGatewayEventRequestContextIAMAuthorizer;

export type IamAuthorization =
  | { ok: true; authorizer: IamAuthorizerContext }
  | { ok: false; statusCode: 403; errorType: string; message: string };

const IAM_USER_ARN = /^iam:(arn:aws:iam::(\d{12}):user\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]+)$/;

/** The IAM users the people map names: each person's first `iam:arn:aws:iam::<account>:user/…` identity. */
export function iamUsersOf(people: PeopleMap): Array<{ name: string; arn: string }> {
  return Object.entries(people).flatMap(([name, identities]) => {
    const arn = identities.map((identity) => IAM_USER_ARN.exec(identity)?.[1]).find((found) => found !== undefined);
    return arn ? [{ name, arn }] : [];
  });
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function newAccessKeyId(): string {
  return `AKIA${[...randomBytes(16)].map((byte) => BASE32[byte % 32]).join('')}`;
}
function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64'); // 40 characters, like AWS's
}

/** The AWS shared credentials file (INI) with one profile per user. */
export function awsCredentialsFileText(users: readonly LocalIamUser[]): string {
  const profiles = users.map(
    (user) =>
      `# ${user.arn}\n[${user.name}]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`,
  );
  return `# Greenlight local stack: IAM users for the /v1/iam routes (made on first start; delete to renew).\n\n${profiles.join('\n')}`;
}

/**
 * The local IAM users of the people map: read from `<dataDir>/iam-credentials.json` (made on first start; users the
 * file lacks are added), or made in memory when there is no data folder. Writes `<dataDir>/aws-credentials`.
 */
export function ensureLocalIamUsers(people: PeopleMap, dataDir?: string): LocalIamUsers {
  const path = dataDir ? join(dataDir, IAM_CREDENTIALS_FILE) : undefined;
  const stored: Record<string, { secretAccessKey: string; arn: string; name: string }> =
    path && existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  const users: LocalIamUser[] = [];
  for (const { name, arn } of iamUsersOf(people)) {
    const known = Object.entries(stored).find(([, entry]) => entry.arn === arn);
    if (known) {
      users.push({ name, arn, accessKeyId: known[0], secretAccessKey: known[1].secretAccessKey });
    } else {
      const user = { name, arn, accessKeyId: newAccessKeyId(), secretAccessKey: newSecretAccessKey() };
      stored[user.accessKeyId] = { secretAccessKey: user.secretAccessKey, arn, name };
      users.push(user);
    }
  }
  if (!dataDir || !path) return { users };
  writeFileSync(path, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  const credentialsFile = join(dataDir, AWS_CREDENTIALS_FILE);
  writeFileSync(credentialsFile, awsCredentialsFileText(users), { mode: 0o600 });
  chmodSync(credentialsFile, 0o600);
  return { users, credentialsFile };
}

export interface SignedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  /** Lower-case names; repeated headers joined with `,`. */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

function refuse(errorType: string, message: string): IamAuthorization {
  return { ok: false, statusCode: 403, errorType, message };
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key ' +
  'and signing method. Consult the service documentation for details.';
const AUTHORIZATION = /^AWS4-HMAC-SHA256 (.+)$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function parseAmzDate(value: string): Date | undefined {
  const match = AMZ_DATE.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const date = new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `Credential=…, SignedHeaders=…, Signature=…` → its parts (undefined when one is missing). */
function parseAuthorization(header: string) {
  const match = AUTHORIZATION.exec(header.trim());
  if (!match?.[1]) return undefined;
  const parts = new Map(
    match[1].split(',').map((part) => {
      const [key = '', ...value] = part.trim().split('=');
      return [key, value.join('=')] as const;
    }),
  );
  const credential = parts.get('Credential')?.split('/');
  const signedHeaders = parts.get('SignedHeaders')?.split(';');
  const signature = parts.get('Signature');
  if (credential?.length !== 5 || !signedHeaders || !signature) return undefined;
  const [accessKeyId, date, region, service, terminator] = credential as [string, string, string, string, string];
  return { accessKeyId, date, region, service, terminator, signedHeaders, signature };
}

/**
 * Checks the SigV4 signature of a request to an `aws_iam` route. `accountId` is the account the gateway's API lives
 * in; `userId`s are stable per user (`AIDA…`), as IAM gives them.
 */
export async function authorizeIamRequest(
  request: SignedRequest,
  users: LocalIamUsers,
  now: Date = new Date(),
): Promise<IamAuthorization> {
  const header = request.headers.authorization;
  if (header === undefined || header === '')
    return refuse('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const auth = parseAuthorization(header);
  if (!auth) {
    return refuse(
      'IncompleteSignatureException',
      "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters, and the AWS4-HMAC-SHA256 algorithm.",
    );
  }
  const user = users.users.find((candidate) => candidate.accessKeyId === auth.accessKeyId);
  if (!user) return refuse('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (auth.service !== EXECUTE_API_SERVICE || auth.terminator !== 'aws4_request') {
    return refuse(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: '${EXECUTE_API_SERVICE}'.`,
    );
  }
  const dateHeader = request.headers['x-amz-date'] ?? '';
  const signingDate = parseAmzDate(dateHeader);
  if (!signingDate || !auth.signedHeaders.includes('x-amz-date') || !auth.signedHeaders.includes('host')) {
    return refuse('IncompleteSignatureException', 'The request must sign the host and X-Amz-Date headers.');
  }
  if (auth.date !== dateHeader.slice(0, 8)) {
    return refuse(
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${dateHeader.slice(0, 8)}'`,
    );
  }
  const skew = signingDate.getTime() - now.getTime();
  if (skew < -MAX_CLOCK_SKEW_MS) {
    const limit = amzDate(new Date(now.getTime() - MAX_CLOCK_SKEW_MS));
    return refuse(
      'InvalidSignatureException',
      `Signature expired: ${dateHeader} is now earlier than ${limit} (${amzDate(now)} - 5 min.)`,
    );
  }
  if (skew > MAX_CLOCK_SKEW_MS) {
    const limit = amzDate(new Date(now.getTime() + MAX_CLOCK_SKEW_MS));
    return refuse(
      'InvalidSignatureException',
      `Signature not yet current: ${dateHeader} is still later than ${limit} (${amzDate(now)} + 5 min.)`,
    );
  }
  // The payload hash is always computed from the body received: a client's x-amz-content-sha256 must equal it.
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const claimedHash = request.headers['x-amz-content-sha256'];
  if (claimedHash !== undefined && claimedHash !== bodyHash)
    return refuse('InvalidSignatureException', SIGNATURE_MISMATCH);

  const url = new URL(request.url, 'http://gateway.invalid');
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return refuse('InvalidSignatureException', SIGNATURE_MISMATCH);
    headers[name] = value;
  }
  const signer = new SignatureV4({
    service: EXECUTE_API_SERVICE,
    region: auth.region,
    credentials: { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey },
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const expected = await signer.sign(
    {
      method: request.method.toUpperCase(),
      protocol: 'http:',
      hostname: url.hostname,
      // The path exactly as sent (still percent-encoded): the signer encodes each segment once more, as AWS does.
      path: request.url.split('?')[0] ?? '/',
      query: queryOf(url.searchParams),
      headers,
      body: request.body,
    },
    { signingDate, signableHeaders: new Set(auth.signedHeaders) },
  );
  const expectedSignature = /Signature=([0-9a-f]{64})$/.exec(String(expected.headers.authorization))?.[1] ?? '';
  const expectedSignedHeaders = /SignedHeaders=([^,]+),/.exec(String(expected.headers.authorization))?.[1] ?? '';
  const matches =
    expectedSignedHeaders === auth.signedHeaders.join(';') &&
    auth.signature.length === expectedSignature.length &&
    timingSafeEqual(Buffer.from(auth.signature), Buffer.from(expectedSignature));
  if (!matches) return refuse('InvalidSignatureException', SIGNATURE_MISMATCH);

  const accountId = /^arn:aws:iam::(\d{12}):/.exec(user.arn)?.[1] ?? '';
  const userId = `AIDA${createHash('sha256').update(user.arn).digest('hex').slice(0, 17).toUpperCase()}`;
  return {
    ok: true,
    authorizer: {
      iam: {
        accessKey: user.accessKeyId,
        accountId,
        callerId: userId,
        cognitoIdentity: null,
        principalOrgId: null as unknown as string, // the local account belongs to no organisation
        userArn: user.arn,
        userId,
      },
    },
  };
}

/** The request's headers by lower-case name, repeated ones joined with `,` (as SigV4 canonicalises them). */
export function signedRequestHeaders(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    headers[name] = Object.hasOwn(headers, name) ? `${headers[name]},${value}` : value;
  }
  return headers;
}
