/**
 * The EventBridge envelope in zod/mini, for every schema of an EventBridge event (each source's, Greenlight's own,
 * `Approval Decision`): the checks of Powertools' EventBridgeSchema, without the full zod that schema imports. Spread
 * it into `z.object({ ...eventBridgeEnvelope, detail: … })`; a key given after the spread replaces the envelope's.
 */
import * as z from '../domain/zodMini';

/** What every EventBridge event carries (as @aws-lambda-powertools/parser's EventBridgeSchema checked it). */
export const eventBridgeEnvelope = {
  version: z.string(),
  id: z.string(),
  source: z.string(),
  account: z.string(),
  time: z.iso.datetime(),
  region: z.string(),
  resources: z.array(z.string()),
  'detail-type': z.string(),
  detail: z.unknown(),
  'replay-name': z.optional(z.string()),
};
