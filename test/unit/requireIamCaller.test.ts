// The IAM routes' own check: the approver is the caller API Gateway proved, and a request without one is refused.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { iamCallerOf, requireIamCaller } from '../../shared/runtime/requireIamCaller';

const eventWith = (authorizer?: unknown, body?: string) =>
  ({
    rawPath: '/v1/iam/approvals',
    requestContext: { http: { method: 'POST' }, ...(authorizer === undefined ? {} : { authorizer }) },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;
const ALICE = 'arn:aws:iam::111122223333:user/alice';
const runMiddleware = (event: APIGatewayProxyEventV2) =>
  requireIamCaller({ maxBodyBytes: 10 }).before?.({ event } as never) as Promise<unknown>;

describe('the IAM caller', () => {
  it('is iam:<requestContext.authorizer.iam.userArn>', () => {
    expect(iamCallerOf(eventWith({ iam: { userArn: ALICE } }))).toBe(`iam:${ALICE}`);
  });

  it('lets a request with an IAM caller through', async () => {
    expect(await runMiddleware(eventWith({ iam: { userArn: ALICE } }))).toBeUndefined();
  });

  it.each([
    ['no authorizer', undefined],
    ['another authorizer', { jwt: { claims: { sub: 'x' } } }],
    ['an empty ARN', { iam: { userArn: '' } }],
  ])(
    'refuses %s with 403 not_authenticated (a route deployed without IAM authorization)',
    async (_name, authorizer) => {
      const response = (await runMiddleware(eventWith(authorizer))) as { statusCode: number; body: string };
      expect(response.statusCode).toBe(403);
      expect(JSON.parse(response.body).error.code).toBe('not_authenticated');
      expect(() => iamCallerOf(eventWith(authorizer))).toThrow(/no IAM caller/);
    },
  );

  it('checks the body size first (413)', async () => {
    await expect(runMiddleware(eventWith({ iam: { userArn: ALICE } }, 'x'.repeat(11)))).rejects.toThrow(
      /larger than 10 bytes/,
    );
  });
});
