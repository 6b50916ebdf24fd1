// The REST API's OpenAPI document (shared/channels/rest/openapi.yaml) and the checker tests use against it.
import { describe, expect, it } from 'vitest';
import { type Approval, openApproval, toPublicApproval } from '../../shared/domain/approval';
import {
  expectMatchesOpenApi,
  type OpenApiResponse,
  openApiDocument,
  openApiOperations,
  openApiRequestViolations,
  openApiViolations,
} from '../support/openApi';

/** The default wait of most sources (openApproval's third argument). */
const SEVEN_DAYS = 7 * 24 * 60 * 60;

const json = (statusCode: number, body: unknown, contentType = 'application/json; charset=utf-8'): OpenApiResponse => ({
  statusCode,
  headers: { 'Content-Type': contentType },
  body: JSON.stringify(body),
});

const NOW = new Date('2026-01-02T03:04:05.000Z');

/** A stored approval, secrets and bookkeeping included, as the domain builds it. */
function storedApproval(): Approval {
  const approval = openApproval(
    {
      source: 'stepfunctions',
      naturalKey: 'task-token-secret',
      sourceRef: {
        kind: 'stepfunctions',
        taskToken: 'task-token-secret',
        executionArn: 'arn:aws:states:us-east-1:111122223333:execution:deploy:run-1',
      },
      workflowRef: 'arn:aws:states:us-east-1:111122223333:execution:deploy:run-1',
      title: 'Deploy to production',
      description: 'Release 42',
      context: { links: [{ label: 'Diff', url: 'https://example.com/diff' }], fields: { service: 'checkout' } },
      approvers: ['email:ana@example.com', 'email:bo@example.com'],
      requiredApprovals: 2,
      requestedBy: 'email:cy@example.com',
    },
    NOW,
    SEVEN_DAYS,
  );
  return {
    ...approval,
    status: 'resuming',
    outcome: 'approved',
    votes: [
      {
        approver: 'email:ana@example.com',
        decision: 'approve',
        channel: 'rest',
        comment: 'ship it',
        at: NOW.toISOString(),
      },
      { approver: 'email:bo@example.com', decision: 'approve', channel: 'slack', at: NOW.toISOString() },
    ],
    history: [
      ...approval.history,
      { at: NOW.toISOString(), status: 'resuming', by: 'email:bo@example.com', channel: 'slack' },
    ],
    resumeAttempts: 1,
    resumeLeaseUntil: NOW.toISOString(),
    version: 3,
  };
}

const publicApproval = () => toPublicApproval(storedApproval()) as unknown as Record<string, unknown>;

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with the signature header as its security scheme', () => {
    const document = openApiDocument();
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(document).toMatchObject({
      security: [{ greenlightSignature: [] }],
      components: {
        securitySchemes: { greenlightSignature: { type: 'apiKey', in: 'header', name: 'X-Greenlight-Signature' } },
      },
    });
  });

  it('describes the operations of the REST API and its IAM-authenticated twin, each with its documented error responses', () => {
    const operations = Object.fromEntries(
      openApiOperations().map((operation) => [`${operation.method} ${operation.path}`, operation.statuses.sort()]),
    );
    expect(operations).toEqual({
      'GET /v1/approvals': ['200', '401', '413', '422', '429', '500'],
      'GET /v1/approvals/{id}': ['200', '401', '404', '413', '429', '500'],
      'POST /v1/approvals/{id}/decision': [
        '200',
        '202',
        '400',
        '401',
        '403',
        '404',
        '409',
        '410',
        '413',
        '422',
        '429',
        '500',
      ],
      'GET /v1/iam/approvals': ['200', '403', '413', '422', '429', '500'],
      'GET /v1/iam/approvals/{id}': ['200', '403', '404', '413', '429', '500'],
      'POST /v1/iam/approvals/{id}/decision': [
        '200',
        '202',
        '400',
        '403',
        '404',
        '409',
        '410',
        '413',
        '422',
        '429',
        '500',
      ],
    });
  });

  it('has a resolvable JSON schema for every documented response', () => {
    for (const operation of openApiOperations()) {
      for (const status of operation.statuses) {
        // Compiles the response schema (every $ref must resolve); the dummy body itself may well not match.
        expect(() => openApiViolations(operation.method, operation.path, json(Number(status), {}))).not.toThrow();
      }
    }
  });

  it('gives every error status its own codes, and rejects a code that belongs to another status', () => {
    const codes: Record<number, string[]> = {
      400: ['malformed_json'],
      401: ['invalid_signature'],
      403: ['not_an_approver', 'may_not_act_for', 'self_approval'],
      404: ['not_found'],
      409: ['already_decided', 'conflicting_vote', 'workflow_not_waiting'],
      410: ['expired'],
      413: ['payload_too_large'],
      422: ['validation_failed', 'idempotency_key_reused', 'invalid_cursor'],
      429: ['throttled'],
      500: ['internal'],
    };
    for (const [status, list] of Object.entries(codes)) {
      for (const code of list) {
        expectMatchesOpenApi(
          'POST',
          '/v1/approvals/{id}/decision',
          json(Number(status), { error: { code, message: 'm' } }),
        );
      }
    }
    expect(
      openApiViolations('POST', '/v1/approvals/{id}/decision', json(404, { error: { code: 'expired', message: 'm' } })),
    ).not.toEqual([]);
    expect(
      openApiViolations('GET', '/v1/approvals', json(422, { error: { code: 'invented', message: 'm' } })),
    ).not.toEqual([]);
  });
});

describe('the decision request', () => {
  const violations = (body: unknown) =>
    openApiRequestViolations('POST', '/v1/approvals/{id}/decision', JSON.stringify(body));

  it('may leave out the approver (the signing client decides as itself) or name one, a client included', () => {
    expect(violations({ decision: 'approve' })).toEqual([]);
    expect(violations({ decision: 'reject', approver: 'email:ana@example.com', comment: 'no' })).toEqual([]);
    expect(violations({ decision: 'approve', approver: 'client:ci-gate' })).toEqual([]);
  });

  it('needs a decision, and takes no other field', () => {
    expect(violations({ approver: 'email:ana@example.com' }).join('\n')).toMatch(/must have property "decision"/);
    expect(violations({ decision: 'approve', via: 'client:x' }).join('\n')).toMatch(/"via"/);
  });

  it('documents the keyId header format and the refusal of a client acting outside its actsFor', () => {
    const document = openApiDocument() as {
      components: { securitySchemes: { greenlightSignature: { description: string } } };
    };
    expect(document.components.securitySchemes.greenlightSignature.description).toContain(
      'keyId=<client>,t=<unix seconds>,v1=<hex>',
    );
    expect(
      openApiViolations(
        'POST',
        '/v1/approvals/{id}/decision',
        json(403, { error: { code: 'may_not_act_for', message: 'm' } }),
      ),
    ).toEqual([]);
    expect(
      openApiViolations('GET', '/v1/approvals/{id}', json(403, { error: { code: 'may_not_act_for', message: 'm' } })),
    ).not.toEqual([]);
  });
});

describe('expectMatchesOpenApi', () => {
  it('accepts the public view of an approval, for reads and decisions', () => {
    expectMatchesOpenApi('GET', '/v1/approvals/{id}', json(200, publicApproval()));
    expectMatchesOpenApi('POST', '/v1/approvals/{id}/decision', json(202, publicApproval()));
    // A fresh approval: only the required fields and what openApproval sets.
    const fresh = toPublicApproval(
      openApproval(
        {
          source: 'ssm',
          naturalKey: 'exec-1',
          sourceRef: { kind: 'ssm', automationExecutionId: 'exec-1', stepName: 'approve' },
          workflowRef: 'exec-1',
          title: 'Patch',
        },
        NOW,
        SEVEN_DAYS,
      ),
    );
    expectMatchesOpenApi('POST', '/v1/approvals/{id}/decision', json(200, fresh));
    expectMatchesOpenApi('GET', '/v1/approvals', json(200, { items: [fresh, publicApproval()], nextCursor: 'abc' }));
    expectMatchesOpenApi('GET', '/v1/approvals', json(200, { items: [] }));
  });

  it('also takes a concrete path for the template', () => {
    expectMatchesOpenApi('GET', `/v1/approvals/${publicApproval().id}`, json(200, publicApproval()));
  });

  it('rejects a leaked sourceRef (the task token) with a readable message', () => {
    const leaked = { ...publicApproval(), sourceRef: storedApproval().sourceRef };
    expect(() => expectMatchesOpenApi('GET', '/v1/approvals/{id}', json(200, leaked))).toThrow(
      /GET \/v1\/approvals\/\{id\} → 200 does not match[\s\S]*must NOT have additional properties: "sourceRef"/,
    );
  });

  it('rejects the internal resume bookkeeping and the idempotency data of votes', () => {
    const stored = storedApproval() as unknown as Record<string, unknown>;
    const { sourceRef: _secret, ...withoutSecret } = stored;
    expect(openApiViolations('GET', '/v1/approvals/{id}', json(200, withoutSecret)).join('\n')).toMatch(
      /"resumeAttempts"[\s\S]*"resumeLeaseUntil"/,
    );
    const vote = { approver: 'email:ana@example.com', decision: 'approve', channel: 'rest', at: NOW.toISOString() };
    const withKey = { ...publicApproval(), votes: [{ ...vote, idempotencyKey: 'k', requestHash: 'h' }] };
    expect(openApiViolations('GET', '/v1/approvals/{id}', json(200, withKey)).join('\n')).toMatch(/"idempotencyKey"/);
  });

  it('rejects a status outside the enum, a malformed id, a bad timestamp and a missing field', () => {
    const violations = (changes: Record<string, unknown>, drop?: string) => {
      const body: Record<string, unknown> = { ...publicApproval(), ...changes };
      if (drop) delete body[drop];
      return openApiViolations('GET', '/v1/approvals/{id}', json(200, body)).join('\n');
    };
    expect(violations({ status: 'done' })).toMatch(/\/status: must be equal to one of the allowed values/);
    expect(violations({ id: 'apr_XYZ' })).toMatch(/\/id: must match pattern/);
    expect(violations({ createdAt: 'yesterday' })).toMatch(/\/createdAt: must match format "date-time"/);
    expect(violations({}, 'version')).toMatch(/must have property "version"/);
  });

  it('rejects an error body without a code, or with extra fields', () => {
    expect(() =>
      expectMatchesOpenApi('GET', '/v1/approvals/{id}', json(404, { error: { message: 'no such approval' } })),
    ).toThrow(/\/error: must have property "code"/);
    expect(
      openApiViolations(
        'GET',
        '/v1/approvals/{id}',
        json(404, { error: { code: 'not_found', message: 'm', token: 'x' } }),
      ),
    ).not.toEqual([]);
    expect(openApiViolations('GET', '/v1/approvals/{id}', json(404, { message: 'Not Found' }))).not.toEqual([]);
  });

  it('rejects an undocumented status, a wrong content type, and a body that is not JSON', () => {
    expect(() => expectMatchesOpenApi('GET', '/v1/approvals/{id}', json(418, {}))).toThrow(
      /status 418 is not documented \(documented: 200, 401, 404, 413, 429, 500\)/,
    );
    expect(openApiViolations('GET', '/v1/approvals/{id}', json(200, publicApproval(), 'text/html'))).toEqual([
      'content-type text/html is not documented (expected application/json)',
    ]);
    expect(openApiViolations('GET', '/v1/approvals/{id}', { statusCode: 200, body: '{}' })).toEqual([
      'the response has no content-type (expected application/json)',
    ]);
    expect(
      openApiViolations('GET', '/v1/approvals/{id}', {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: '{',
      })[0],
    ).toMatch(/^the body is not JSON/);
    expect(openApiViolations('DELETE', '/v1/approvals/{id}', json(200, {}))).toEqual([
      'DELETE /v1/approvals/{id} is not in the OpenAPI document',
    ]);
    expect(openApiViolations('GET', '/v2/things', json(200, {}))).toEqual([
      'path /v2/things is not in the OpenAPI document',
    ]);
  });

  it('rejects a page without items or with a foreign field', () => {
    expect(openApiViolations('GET', '/v1/approvals', json(200, { nextCursor: 'x' })).join('\n')).toMatch(/"items"/);
    expect(openApiViolations('GET', '/v1/approvals', json(200, { items: [], total: 3 })).join('\n')).toMatch(/"total"/);
  });
});
