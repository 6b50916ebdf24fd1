/**
 * EventBridge envelopes for the functions that read Greenlight's own events and `Approval Decision` events, in
 * zod/mini: the checks of Powertools' EventBridgeSchema, without the full zod that schema imports.
 */
import type { ZodType } from 'zod';
import type { SourceKind } from '../domain/approval';
import * as z from '../domain/zodMini';
import { parseEvent } from '../sources/parseEvent';

/** What every EventBridge event carries (as @aws-lambda-powertools/parser's EventBridgeSchema checks it). */
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

/**
 * parseEvent (a MalformedEventError naming paths, never values) for a zod/mini schema. parseEvent is typed for `zod`
 * schemas; it only calls `safeParse`, which zod/mini schemas have alike. (Goes when shared/sources moves to zod/mini.)
 */
export function parseEnvelope<Schema extends z.ZodMiniType>(
  schema: Schema,
  event: unknown,
  source: SourceKind | undefined,
  what: string,
): z.output<Schema> {
  return parseEvent(schema as unknown as ZodType<z.output<Schema>>, event, source, what) as z.output<Schema>;
}
