import type { SourceKind } from '../domain/approval';

export interface EventIssue {
  /** Where in the event, e.g. `detail.taskToken`. Never the value: values may be secrets. */
  path: string;
  message: string;
}

/**
 * An event we cannot turn into a waiting item. Retrying cannot fix it, so it ends in the dead-letter queue.
 * The message names paths and rules only, never values (a task token must not reach the logs).
 */
export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
  constructor(
    readonly source: SourceKind | undefined,
    readonly reason: string,
    readonly issues: EventIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(
      issues.length === 0
        ? reason
        : `${reason}: ${issues.map((issue) => `${issue.path || '(event)'}: ${issue.message}`).join('; ')}`,
      options,
    );
  }
}

/** The source could not take the answer now (throttled, 5xx, network): retry later; nothing is lost. */
export class SourceUnavailableError extends Error {
  override readonly name = 'SourceUnavailableError';
  constructor(
    readonly source: SourceKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
