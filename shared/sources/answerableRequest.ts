/**
 * Parsing a request that carries what answers its wait (a task token, a callback id): a request that is not valid
 * but still carries a usable answer handle is `invalid` (the wait is answered with a refusal), so that a workflow
 * never waits for a request Greenlight has thrown away; without one it is a MalformedEventError.
 */
import { type EventIssue, MalformedEventError } from '../app/errors';
import type { SourceKind } from '../domain/approval';
import type * as z from '../domain/zodMini';
import { MAX_REQUEST_BYTES, requestBytes } from './approvalRequestSchema';
import { parseEvent } from './parseEvent';

export type AnswerableRequest<Request, Handle> =
  | { kind: 'valid'; request: Request }
  | { kind: 'invalid'; handle: Handle; issues: EventIssue[] };

export function parseAnswerableRequest<Schema extends z.ZodMiniType, Handle>(options: {
  schema: Schema;
  request: unknown;
  source: SourceKind;
  /** What the request is called in errors, e.g. `Approval Requested detail`. */
  what: string;
  /** Where the request sits in the event, e.g. `detail`. */
  at: readonly string[];
  /** Issues found outside the request (the envelope), which make it invalid too. */
  extraIssues?: EventIssue[];
  /** The answer handle, read on its own from a request that may be invalid; undefined when unusable. */
  handle: (request: unknown) => Handle | undefined;
}): AnswerableRequest<z.output<Schema>, Handle> {
  const { schema, request, source, what, at } = options;
  const issues = [...(options.extraIssues ?? [])];
  if (requestBytes(request) > MAX_REQUEST_BYTES) {
    issues.push({ path: at.join('.') || '(payload)', message: `must be at most ${MAX_REQUEST_BYTES} bytes of JSON` });
  }
  let parsed: z.output<Schema> | undefined;
  try {
    parsed = parseEvent(schema, request, source, what, at);
  } catch (error) {
    if (!(error instanceof MalformedEventError)) throw error;
    issues.push(...error.issues);
  }
  if (parsed !== undefined && issues.length === 0) return { kind: 'valid', request: parsed };
  const handle = options.handle(request);
  if (handle === undefined) throw new MalformedEventError(source, `not a valid ${what}`, issues);
  return { kind: 'invalid', handle, issues };
}
