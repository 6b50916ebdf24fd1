/** One adapter per AWS service that can park a workflow waiting for a person. */
import type { SourceKind, WaitingItem } from '../domain/approval';

export type CaptureResult =
  | { kind: 'waiting'; item: WaitingItem }
  /** The event is valid but nothing waits any more (e.g. a late duplicate after the step was answered). */
  | { kind: 'not-waiting'; reason: string };

export interface WaitingSource {
  readonly kind: SourceKind;
  /** Whether this adapter is the one for this event (by its source and detail-type or its shape). */
  recognises(event: unknown): boolean;
  /** Reads the waiting item out of the event; throws MalformedEventError when the event is not valid. */
  capture(event: unknown): Promise<CaptureResult>;
}
