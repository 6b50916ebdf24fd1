import { MalformedEventError } from '../app/errors';
import type { SourceKind } from '../domain/approval';
import { redactSecrets } from '../domain/redactSecrets';
import type * as z from '../domain/zodMini';

/** Parses with zod/mini and turns a failure into a MalformedEventError that names paths and rules, never values. */
export function parseEvent<Schema extends z.ZodMiniType>(
  schema: Schema,
  event: unknown,
  source: SourceKind | undefined,
  what: string,
  /** Where `event` sits in the whole event, e.g. `detail`, so issue paths point into the event as received. */
  at: readonly string[] = [],
): z.output<Schema> {
  const result = schema.safeParse(event);
  if (result.success) return result.data;
  throw new MalformedEventError(
    source,
    `not a valid ${what}`,
    result.error.issues.map((issue) => ({
      path: [...at, ...issue.path.map((segment, index) => safePathSegment(segment, issue.path[index - 1]))].join('.'),
      message: redactSecrets(issue.message),
    })),
    { cause: result.error },
  );
}

/**
 * A path segment as it may be logged or told to the workflow: object keys come from the event, so long ones are not
 * copied, and the names of `context.fields` (chosen by the requester, e.g. `db-password=…`) never are.
 */
function safePathSegment(segment: PropertyKey, parent: PropertyKey | undefined): string {
  if (parent === 'fields') return '[field name]';
  const text = String(segment);
  return text.length > MAX_PATH_SEGMENT_LENGTH ? `[key of ${text.length} characters]` : text;
}

const MAX_PATH_SEGMENT_LENGTH = 40;

/** True when `event` is an EventBridge envelope with this source (if given) and one of these detail-types. */
export function isEventBridgeEvent(event: unknown, detailTypes: readonly string[], source?: string): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const envelope = event as Record<string, unknown>;
  return (
    typeof envelope['detail-type'] === 'string' &&
    detailTypes.includes(envelope['detail-type']) &&
    (source === undefined || envelope.source === source)
  );
}
