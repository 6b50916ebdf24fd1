// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is osls syntax, not JS.
// The local stack's HTTP API: routes read from serverless.yml (osls `httpApi` events), API Gateway HTTP API route
// selection, and the payload format 2.0 event / response conversion.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fromApiGatewayResult,
  isTextContentType,
  type LocalHttpRequest,
  requestTime,
  toApiGatewayEvent,
} from '../../infra/local/apiGatewayEvent';
import { type HttpApiRoute, loadHttpApiRoutes, matchHttpApiRoute } from '../../infra/local/httpApiRoutes';

const folder = mkdtempSync(join(tmpdir(), 'greenlight-httpapi-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let fileCount = 0;
function writeServerlessYml(text: string): string {
  const file = join(folder, `serverless-${++fileCount}.yml`);
  writeFileSync(file, text);
  return file;
}

const SERVERLESS_YML = `
service: greenlight
provider:
  name: aws
  iam:
    role:
      statements:
        - Effect: Allow
          Action: [dynamodb:GetItem]
          Resource: !GetAtt ApprovalsTable.Arn
functions:
  capture:
    handler: functions/capture.handler
    events:
      - eventBridge:
          pattern:
            source: [aws.ssm]
  restApi:
    handler: functions/restApi.handler
    events:
      - httpApi: 'GET /v1/approvals'
      - httpApi: 'GET /v1/approvals/{id}'
      - httpApi:
          method: POST
          path: /v1/approvals/{id}/decision
  reviewPages:
    handler: functions/reviewPages.handler
    events:
      - httpApi: GET /review/{id}
      - httpApi:
          method: post
          path: /review/{id}
  files:
    handler: functions/files.handler
    events:
      - httpApi:
          method: '*'
          path: /static/{proxy+}
      - httpApi: GET /static/logo.svg
      - httpApi: 'GET /\${sls:stage}/ping'
  fallback:
    handler: functions/fallback.handler
    events:
      - httpApi: '*'
`;

describe('loadHttpApiRoutes', () => {
  const routes = loadHttpApiRoutes(writeServerlessYml(SERVERLESS_YML));

  it('reads every httpApi event, in the string and the { method, path } form, and nothing else', () => {
    expect(routes).toEqual<HttpApiRoute[]>([
      {
        functionName: 'restApi',
        handler: 'functions/restApi.handler',
        method: 'GET',
        path: '/v1/approvals',
        routeKey: 'GET /v1/approvals',
      },
      {
        functionName: 'restApi',
        handler: 'functions/restApi.handler',
        method: 'GET',
        path: '/v1/approvals/{id}',
        routeKey: 'GET /v1/approvals/{id}',
      },
      {
        functionName: 'restApi',
        handler: 'functions/restApi.handler',
        method: 'POST',
        path: '/v1/approvals/{id}/decision',
        routeKey: 'POST /v1/approvals/{id}/decision',
      },
      {
        functionName: 'reviewPages',
        handler: 'functions/reviewPages.handler',
        method: 'GET',
        path: '/review/{id}',
        routeKey: 'GET /review/{id}',
      },
      {
        functionName: 'reviewPages',
        handler: 'functions/reviewPages.handler',
        method: 'POST',
        path: '/review/{id}',
        routeKey: 'POST /review/{id}',
      },
      {
        functionName: 'files',
        handler: 'functions/files.handler',
        method: '*',
        path: '/static/{proxy+}',
        routeKey: 'ANY /static/{proxy+}',
      },
      {
        functionName: 'files',
        handler: 'functions/files.handler',
        method: 'GET',
        path: '/static/logo.svg',
        routeKey: 'GET /static/logo.svg',
      },
      {
        functionName: 'files',
        handler: 'functions/files.handler',
        method: 'GET',
        path: '/local/ping',
        routeKey: 'GET /local/ping',
      },
      {
        functionName: 'fallback',
        handler: 'functions/fallback.handler',
        method: '*',
        path: '*',
        routeKey: '$default',
      },
    ]);
  });

  it('refuses routes API Gateway would refuse', () => {
    const withEvent = (event: string) =>
      writeServerlessYml(
        `functions:\n  f:\n    handler: functions/f.handler\n    events:\n      - httpApi: ${event}\n`,
      );
    expect(() => loadHttpApiRoutes(withEvent("'GET /a/{proxy+}/b'"))).toThrow(
      /greedy path variable must be at the end/,
    );
    expect(() => loadHttpApiRoutes(withEvent("'GET a/b'"))).toThrow(/must start with \//);
    expect(() => loadHttpApiRoutes(withEvent("'FETCH /a'"))).toThrow(/unsupported HTTP method/);
    expect(() => loadHttpApiRoutes(withEvent("'GET /a/x{id}'"))).toThrow(/whole segment/);
    expect(() => loadHttpApiRoutes(withEvent("'GET'"))).toThrow(/METHOD \/path/);
    const twice = writeServerlessYml(
      'functions:\n  f:\n    handler: f.handler\n    events:\n      - httpApi: GET /a\n' +
        '  g:\n    handler: g.handler\n    events:\n      - httpApi: { method: get, path: /a }\n',
    );
    expect(() => loadHttpApiRoutes(twice)).toThrow(/GET \/a is already declared by f/);
  });

  it('reads the project serverless.yml without error (its routes are all well-formed)', () => {
    for (const route of loadHttpApiRoutes()) {
      expect(route.handler).toMatch(/^functions\/\w+\.\w+$/);
      expect(route.path === '*' || route.path.startsWith('/')).toBe(true);
    }
  });
});

describe('matchHttpApiRoute (API Gateway HTTP API route selection)', () => {
  const routes = loadHttpApiRoutes(writeServerlessYml(SERVERLESS_YML));
  const match = (method: string, path: string) => {
    const found = matchHttpApiRoute(routes, method, path);
    return found && { routeKey: found.route.routeKey, pathParameters: found.pathParameters };
  };

  it('routes the REST API and the review pages with their path parameters', () => {
    expect(match('GET', '/v1/approvals')).toEqual({ routeKey: 'GET /v1/approvals', pathParameters: {} });
    expect(match('GET', '/v1/approvals?status=pending&limit=5')).toEqual({
      routeKey: 'GET /v1/approvals',
      pathParameters: {},
    });
    const id = `apr_${'a'.repeat(32)}`;
    expect(match('GET', `/v1/approvals/${id}`)).toEqual({ routeKey: 'GET /v1/approvals/{id}', pathParameters: { id } });
    expect(match('post', `/v1/approvals/${id}/decision`)).toEqual({
      routeKey: 'POST /v1/approvals/{id}/decision',
      pathParameters: { id },
    });
    expect(match('GET', `/review/${id}`)).toEqual({ routeKey: 'GET /review/{id}', pathParameters: { id } });
    expect(match('POST', `/review/${id}`)).toEqual({ routeKey: 'POST /review/{id}', pathParameters: { id } });
  });

  it('hands path parameters over URL-decoded, as API Gateway does', () => {
    expect(match('GET', '/review/a%20b%2Fc')).toEqual({
      routeKey: 'GET /review/{id}',
      pathParameters: { id: 'a b/c' },
    });
    expect(match('GET', '/review/%E0%A4%A')?.pathParameters).toEqual({ id: '%E0%A4%A' });
  });

  it('prefers an exact path over a parameter over a greedy variable, and a named method over ANY', () => {
    expect(match('GET', '/static/logo.svg')?.routeKey).toBe('GET /static/logo.svg');
    // Same path, another method: only ANY /static/{proxy+} takes it.
    expect(match('POST', '/static/logo.svg')).toEqual({
      routeKey: 'ANY /static/{proxy+}',
      pathParameters: { proxy: 'logo.svg' },
    });
    expect(match('DELETE', '/static/css/site.css')).toEqual({
      routeKey: 'ANY /static/{proxy+}',
      pathParameters: { proxy: 'css/site.css' },
    });
    expect(match('GET', '/local/ping')?.routeKey).toBe('GET /local/ping');
  });

  it('matches one segment per {param}, at least one for a greedy variable, and needs the whole path', () => {
    expect(match('GET', '/v1/approvals/a/b')?.routeKey).toBe('$default');
    expect(match('GET', '/review/')?.routeKey).toBe('$default');
    expect(match('GET', '/static')?.routeKey).toBe('$default');
    expect(match('GET', '/static/')?.routeKey).toBe('$default');
  });

  it('falls back to $default, and to nothing when there is no $default (API Gateway answers 404)', () => {
    expect(match('PUT', '/v1/approvals')).toEqual({ routeKey: '$default', pathParameters: {} });
    expect(match('GET', '/nowhere')).toEqual({ routeKey: '$default', pathParameters: {} });
    const withoutDefault = routes.filter((route) => route.path !== '*');
    expect(matchHttpApiRoute(withoutDefault, 'GET', '/nowhere')).toBeUndefined();
    expect(matchHttpApiRoute(withoutDefault, 'DELETE', '/v1/approvals')).toBeUndefined();
  });

  it('does not depend on the order of the routes', () => {
    const reversed = [...routes].reverse();
    for (const [method, path] of [
      ['GET', '/static/logo.svg'],
      ['POST', '/static/logo.svg'],
      ['GET', `/v1/approvals/x`],
      ['GET', '/nowhere'],
    ] as const) {
      expect(matchHttpApiRoute(reversed, method, path)?.route.routeKey).toBe(match(method, path)?.routeKey);
    }
  });
});

// The example event of payload format 2.0, from "Create AWS Lambda proxy integrations for HTTP APIs in API Gateway"
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
// (authentication, authorizer and stageVariables left out: the local stack has no authorizers or stage variables).
const DOCS_SAMPLE_EVENT = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/my/path',
  rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
  cookies: ['cookie1', 'cookie2'],
  headers: { header1: 'value1', header2: 'value1,value2' },
  queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'api-id',
    domainName: 'id.execute-api.us-east-1.amazonaws.com',
    domainPrefix: 'id',
    http: { method: 'POST', path: '/my/path', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'agent' },
    requestId: 'id',
    routeKey: '$default',
    stage: '$default',
    timeEpoch: 1583348638390,
  },
  body: 'Hello from Lambda',
  pathParameters: { parameter1: 'value1' },
  isBase64Encoded: false,
};

const docsSampleRequest = (): LocalHttpRequest => ({
  method: 'POST',
  url: '/my/path?parameter1=value1&parameter1=value2&parameter2=value',
  headers: {},
  rawHeaders: [
    'Host',
    'id.execute-api.us-east-1.amazonaws.com',
    'User-Agent',
    'agent',
    'Header1',
    'value1',
    'Header2',
    'value1',
    'Cookie',
    'cookie1; cookie2',
    'header2',
    'value2',
    'Content-Type',
    'text/plain; charset=utf-8',
  ],
  body: Buffer.from('Hello from Lambda'),
  sourceIp: '192.0.2.1',
});

describe('toApiGatewayEvent (payload format 2.0)', () => {
  const now = new Date(1583348638390);
  const options = { now, requestId: 'id', apiId: 'api-id', accountId: '123456789012' };

  it('builds the documented sample event', () => {
    const event = toApiGatewayEvent(docsSampleRequest(), { routeKey: '$default' }, { parameter1: 'value1' }, options);
    expect(event).toMatchObject(DOCS_SAMPLE_EVENT);
    // The docs' sample has time 12/Mar/2020 next to a timeEpoch of 4 March; here both describe the same instant.
    expect(event.requestContext.time).toBe('04/Mar/2020:19:03:58 +0000');
    // Cookies travel in `cookies` only; API Gateway adds its forwarding headers.
    expect(event.headers.cookie).toBeUndefined();
    expect(event.headers).toMatchObject({
      'x-forwarded-for': '192.0.2.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-port': '80',
      'content-type': 'text/plain; charset=utf-8',
    });
    expect(event.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('carries the route key, path parameters and query of a REST call, and a JSON body as text', () => {
    const id = `apr_${'0'.repeat(32)}`;
    const body = JSON.stringify({ decision: 'approve', approver: 'email:ana@example.com' });
    const event = toApiGatewayEvent(
      {
        method: 'post',
        url: `/v1/approvals/${id}/decision?x=1&y=a%20b&y=c`,
        headers: {
          host: 'localhost:3000',
          'content-type': 'application/json',
          'x-greenlight-signature': 't=1,v1=ab',
          'idempotency-key': 'k-1',
        },
        body: Buffer.from(body),
        sourceIp: '127.0.0.1',
      },
      { routeKey: 'POST /v1/approvals/{id}/decision' },
      { id },
      { now },
    );
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/approvals/{id}/decision',
      rawPath: `/v1/approvals/${id}/decision`,
      rawQueryString: 'x=1&y=a%20b&y=c',
      queryStringParameters: { x: '1', y: 'a b,c' },
      pathParameters: { id },
      body,
      isBase64Encoded: false,
      headers: {
        'x-greenlight-signature': 't=1,v1=ab',
        'idempotency-key': 'k-1',
        'x-forwarded-port': '3000',
        'content-length': String(Buffer.byteLength(body)),
      },
      requestContext: {
        routeKey: 'POST /v1/approvals/{id}/decision',
        stage: '$default',
        domainName: 'localhost',
        domainPrefix: 'localhost',
        http: { method: 'POST', path: `/v1/approvals/${id}/decision`, sourceIp: '127.0.0.1', protocol: 'HTTP/1.1' },
        timeEpoch: now.getTime(),
      },
    });
    expect(event.cookies).toBeUndefined();
    expect(event.requestContext.requestId).toMatch(/^[A-Za-z0-9+/=]+$/);
  });

  it('leaves out what a bare GET does not have: body, cookies, query, path parameters', () => {
    const event = toApiGatewayEvent(
      { method: 'GET', url: '/v1/approvals', headers: { host: 'localhost' }, body: Buffer.alloc(0), sourceIp: '::1' },
      { routeKey: 'GET /v1/approvals' },
      {},
      { now },
    );
    expect(event.rawQueryString).toBe('');
    expect(event.isBase64Encoded).toBe(false);
    for (const field of ['body', 'cookies', 'queryStringParameters', 'pathParameters'] as const) {
      expect(event).not.toHaveProperty(field);
    }
  });

  it('joins duplicate headers of a Node IncomingHttpHeaders object with commas', () => {
    const event = toApiGatewayEvent(
      {
        method: 'GET',
        url: '/',
        headers: { host: 'localhost', 'x-many': ['a', 'b'], cookie: 'a=1; b=2' },
        body: Buffer.alloc(0),
        sourceIp: '10.0.0.1',
      },
      { routeKey: '$default' },
      {},
    );
    expect(event.headers['x-many']).toBe('a,b');
    expect(event.cookies).toEqual(['a=1', 'b=2']);
  });

  it('base64-encodes every body API Gateway does not treat as text (forms included)', () => {
    const encode = (contentType: string | undefined, body: Buffer) =>
      toApiGatewayEvent(
        {
          method: 'POST',
          url: '/review/x',
          headers: { host: 'localhost', ...(contentType && { 'content-type': contentType }) },
          body,
          sourceIp: '127.0.0.1',
        },
        { routeKey: 'POST /review/{id}' },
        { id: 'x' },
      );
    const form = encode('application/x-www-form-urlencoded', Buffer.from('decision=approve&comment=ok%21'));
    expect(form.isBase64Encoded).toBe(true);
    expect(Buffer.from(form.body ?? '', 'base64').toString('utf8')).toBe('decision=approve&comment=ok%21');
    const binary = Buffer.from([0, 255, 1, 254]);
    expect(encode('application/octet-stream', binary)).toMatchObject({
      isBase64Encoded: true,
      body: binary.toString('base64'),
    });
    expect(encode(undefined, binary)).toMatchObject({ isBase64Encoded: true, body: binary.toString('base64') });
    expect(encode('text/html; charset=utf-8', Buffer.from('<p>é</p>'))).toMatchObject({
      isBase64Encoded: false,
      body: '<p>é</p>',
    });
    expect(encode('application/problem+json', Buffer.from('{}'))).toMatchObject({ isBase64Encoded: false, body: '{}' });
  });

  it('classifies content types and formats request times like API Gateway', () => {
    expect(isTextContentType('application/json; charset=utf-8')).toBe(true);
    expect(isTextContentType('Text/Plain')).toBe(true);
    expect(isTextContentType('application/x-www-form-urlencoded')).toBe(false);
    expect(isTextContentType('multipart/form-data; boundary=x')).toBe(false);
    expect(isTextContentType(undefined)).toBe(false);
    expect(requestTime(new Date('2020-03-12T19:03:58.000Z'))).toBe('12/Mar/2020:19:03:58 +0000');
    expect(requestTime(new Date('2024-12-01T03:04:05.999Z'))).toBe('01/Dec/2024:03:04:05 +0000');
  });
});

describe('fromApiGatewayResult (Lambda function response for format 2.0)', () => {
  it('uses a result with a statusCode as given: headers, body, cookies', () => {
    const response = fromApiGatewayResult({
      statusCode: 409,
      headers: { 'Content-Type': 'application/json', 'X-Count': 2, 'X-Flag': true },
      body: '{"error":{"code":"already_decided","message":"m"}}',
      cookies: ['a=1; Path=/; HttpOnly', 'b=2'],
    });
    expect(response).toEqual({
      statusCode: 409,
      headers: { 'content-type': 'application/json', 'x-count': '2', 'x-flag': 'true' },
      body: Buffer.from('{"error":{"code":"already_decided","message":"m"}}'),
      cookies: ['a=1; Path=/; HttpOnly', 'b=2'],
    });
  });

  it('decodes a base64 body and treats a missing body as empty', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    expect(fromApiGatewayResult({ statusCode: 200, isBase64Encoded: true, body: png.toString('base64') }).body).toEqual(
      png,
    );
    expect(fromApiGatewayResult({ statusCode: 204 })).toEqual({
      statusCode: 204,
      headers: {},
      body: Buffer.alloc(0),
      cookies: [],
    });
  });

  it('turns any other result into 200 application/json, the result being the body', () => {
    // The docs' examples: a string is the body as it is; an object without statusCode is serialised as JSON.
    expect(fromApiGatewayResult('Hello from Lambda!')).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('Hello from Lambda!'),
      cookies: [],
    });
    const object = fromApiGatewayResult({ message: 'Hello from Lambda!' });
    expect(object.statusCode).toBe(200);
    expect(object.headers['content-type']).toBe('application/json');
    expect(JSON.parse(object.body.toString('utf8'))).toEqual({ message: 'Hello from Lambda!' });
    expect(fromApiGatewayResult({ body: 'x' }).body.toString()).toBe('{"body":"x"}');
    expect(fromApiGatewayResult([1, 2]).body.toString()).toBe('[1,2]');
    expect(fromApiGatewayResult(42).body.toString()).toBe('42');
    expect(fromApiGatewayResult(undefined).body.toString()).toBe('null');
  });
});
