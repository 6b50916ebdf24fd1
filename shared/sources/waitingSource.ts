/** One adapter per AWS service that can park a workflow waiting for a person. */
import type { SourceKind, WaitingItem } from '../domain/approval';
import type { EventIssue } from './errors';

export type CaptureResult =
  | { kind: 'waiting'; item: WaitingItem }
  /** The event is valid but nothing waits any more (e.g. a late duplicate after the step was answered). */
  | { kind: 'not-waiting'; reason: string }
  /**
   * The event is not a valid request, yet it carries what is needed to answer the wait (a task token): the wait is
   * answered with a refusal instead of being left hanging. `issues` name paths and rules, never values.
   */
  | { kind: 'invalid'; wait: AnswerableWait; issues: EventIssue[] };

/** What identifies a wait and answers it, without anything else of the request. */
export type AnswerableWait = Pick<WaitingItem, 'source' | 'naturalKey' | 'sourceRef' | 'workflowRef'>;

export interface WaitingSource {
  readonly kind: SourceKind;
  /** Whether this adapter is the one for this event (by its source and detail-type or its shape). */
  recognises(event: unknown): boolean;
  /** Reads the waiting item out of the event; throws MalformedEventError when the event is not valid. */
  capture(event: unknown): Promise<CaptureResult>;
}
