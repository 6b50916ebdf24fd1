// The REST clients' secrets from SSM (one SecureString per client) and the middleware that establishes the caller.
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidSignatureError } from '../../../shared/channels/errors';
import { signRestRequest } from '../../../shared/channels/restSignature';
import { requireRestSignature, restClientOf } from '../../../shared/runtime/requireRestSignature';
import { InvalidSecretParameterError, restClientSecrets } from '../../../shared/runtime/secrets';

const ssm = mockClient(SSMClient);
const PREFIX = '/greenlight/test/clients/';
const previousPrefix = process.env.REST_CLIENT_SECRETS_PREFIX;

beforeAll(() => {
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.REST_CLIENT_SECRETS_PREFIX = PREFIX;
});
afterAll(() => {
  if (previousPrefix === undefined) delete process.env.REST_CLIENT_SECRETS_PREFIX;
  else process.env.REST_CLIENT_SECRETS_PREFIX = previousPrefix;
  ssm.restore();
});
beforeEach(() => ssm.reset());

/** Each test uses its own client names: the values (and missing parameters) are cached for five minutes. */
function parameter(name: string, value: string) {
  ssm
    .on(GetParameterCommand, { Name: `${PREFIX}${name}`, WithDecryption: true })
    .resolves({ Parameter: { Value: value } });
}

describe('restClientSecrets', () => {
  it("reads the client's own SecureString, decrypted: one secret, or a JSON array while rotating", async () => {
    parameter('plain-bot', 's3cret');
    parameter('rotating-bot', '["new-secret", "old-secret"]');
    expect(await restClientSecrets('plain-bot')).toEqual(['s3cret']);
    expect(await restClientSecrets('rotating-bot')).toEqual(['new-secret', 'old-secret']);
  });

  it('answers undefined for a client without a parameter, and does not ask SSM again at once', async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    expect(await restClientSecrets('unprovisioned-bot')).toBeUndefined();
    expect(await restClientSecrets('unprovisioned-bot')).toBeUndefined();
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it.each([
    ['an empty array', '[]'],
    ['an array with an empty secret', '["a", ""]'],
    ['broken JSON', '["a",'],
    ['an array of numbers', '[1, 2]'],
  ])('refuses %s as a configuration error', async (_name, value) => {
    const name = `broken-${_name.replace(/\W+/g, '-')}`.slice(0, 60);
    parameter(name, value);
    await expect(restClientSecrets(name)).rejects.toBeInstanceOf(InvalidSecretParameterError);
  });

  it('lets any other SSM failure through (a 500, retried by the caller), never as an unknown client', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(restClientSecrets('throttled-bot')).rejects.toThrow(/Rate exceeded/);
  });
});

describe('requireRestSignature', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const clock = { now: () => now };

  function event(header: string | undefined): APIGatewayProxyEventV2 {
    return {
      rawPath: '/v1/approvals',
      rawQueryString: 'status=pending',
      headers: header === undefined ? {} : { 'x-greenlight-signature': header },
      requestContext: { http: { method: 'GET' } },
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
  }

  const signed = (keyId: string, secret: string) =>
    signRestRequest(
      { keyId, secret },
      { method: 'GET', pathWithQuery: '/v1/approvals?status=pending', body: '', timestamp: now.getTime() / 1000 },
    );

  const handler = middy<APIGatewayProxyEventV2>()
    .use(
      requireRestSignature({
        clientSecrets: async (client) => (client === 'release-bot' ? ['bot-secret'] : undefined),
        clock,
        maxBodyBytes: 1024,
      }),
    )
    .handler(async (request: APIGatewayProxyEventV2) => ({ statusCode: 200, body: restClientOf(request) }));

  it('passes the signing client on to the route as client:<name>', async () => {
    const reply = await handler(event(signed('release-bot', 'bot-secret')), {} as Context);
    expect(reply).toEqual({ statusCode: 200, body: 'client:release-bot' });
  });

  it.each([
    ['an unknown client', () => signed('nobody', 'bot-secret'), 'unknown-client'],
    ['a wrong secret', () => signed('release-bot', 'guess'), 'mismatch'],
    [
      'the header without keyId',
      () => signed('release-bot', 'bot-secret').replace('keyId=release-bot,', ''),
      'no-key-id',
    ],
    ['no header', () => undefined, 'missing'],
  ])('refuses %s before the route runs', async (_name, header, reason) => {
    await expect(handler(event(header()), {} as Context)).rejects.toMatchObject({
      name: InvalidSignatureError.name,
      reason,
    });
  });

  it('knows no caller for an event it did not check', () => {
    expect(() => restClientOf(event(undefined))).toThrow(/did not establish the caller/);
  });
});
