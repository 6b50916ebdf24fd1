/** What every scenario module of the reliability suite shares (filled in by reliability.test.ts's beforeAll). */
import type { LocalStack } from '../../infra/local/localStack';
import type { DecisionHarness } from '../support/decisionHarness';
import type { DynamoFaultProxy } from '../support/reliabilityDynamoProxy';

export interface ReliabilityContext {
  stack: LocalStack;
  harness: DecisionHarness;
  /** In front of dynalite; the functions' DynamoDB clients go through it (pass-through unless told otherwise). */
  dynamoProxy: DynamoFaultProxy;
}

/** Documented answers of the HTTP surfaces (REST errors per openapi.yaml, review pages per htmlErrorPages). */
export const DOCUMENTED_STATUSES = new Set([200, 202, 400, 401, 403, 404, 409, 410, 413, 422, 429]);
