/**
 * EventBridge stand-in (awsJson1_1, `X-Amz-Target: AWSEvents.<Operation>`): PutEvents only, handing every
 * accepted entry to the registered listeners (the local stack routes them to functions).
 *
 * Documented behaviour implemented (Amazon EventBridge API Reference, API_PutEvents.html;
 * userguide/eb-putevents.html): 1–10 entries per request (else ValidationException); "if an individual entry
 * within a request fails, EventBridge continues processing the rest"; the response Entries array has one
 * result per request entry, in order: an EventId on success, ErrorCode + ErrorMessage on failure, and
 * FailedEntryCount counts the failures. An entry needs Source, DetailType and a JSON-object Detail.
 *
 * Delivery is awaited before the answer so tests see its effects deterministically; a listener error is
 * logged and does not fail the PutEvents call (real delivery is asynchronous and decoupled from the caller).
 */
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { clientError } from '../awsError';
import { newUuid } from '../awsIds';
import type { Input } from '../inputFields';
import type { StandinService } from '../standinService';

/** An accepted entry as listeners receive it: the SDK's request entry plus the EventId it was given. */
export type DeliveredEntry = PutEventsRequestEntry & { EventId: string };
export type PutEventsListener = (entries: DeliveredEntry[]) => void | Promise<void>;

type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export class EventBridgeStandin implements StandinService {
  readonly service = 'eventbridge';
  readonly wire = { protocol: 'awsJson1_1', targetPrefix: 'AWSEvents' } as const;
  readonly operations = ['PutEvents'] as const;
  private readonly listeners: PutEventsListener[] = [];

  onPutEvents(listener: PutEventsListener): void {
    this.listeners.push(listener);
  }

  async handle(operation: string, input: Input): Promise<unknown> {
    if (operation !== 'PutEvents') throw clientError('UnknownOperationException', `Unknown operation ${operation}`);
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
      throw clientError(
        'ValidationException',
        "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10",
      );
    }
    const delivered: DeliveredEntry[] = [];
    const results = entries.map((entry: Input): ResultEntry => {
      const problem = entryProblem(entry);
      if (problem) return problem;
      const EventId = newUuid();
      delivered.push({ ...toSdkEntry(entry), EventId });
      return { EventId };
    });
    await this.deliver(delivered);
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  private async deliver(entries: DeliveredEntry[]): Promise<void> {
    if (entries.length === 0) return;
    for (const listener of this.listeners) {
      try {
        await listener(entries);
      } catch (error) {
        console.error('[aws-standins] PutEvents listener failed:', error);
      }
    }
  }
}

function entryProblem(entry: Input): ResultEntry | undefined {
  for (const field of ['Source', 'DetailType', 'Detail']) {
    if (typeof entry[field] !== 'string' || entry[field] === '') {
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
      };
    }
  }
  try {
    const detail: unknown = JSON.parse(entry.Detail as string);
    if (typeof detail === 'object' && detail !== null && !Array.isArray(detail)) return undefined;
  } catch {
    // falls through to MalformedDetail
  }
  return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
}

/** Wire entry (timestamps in epoch seconds) → the SDK's PutEventsRequestEntry shape. */
function toSdkEntry(entry: Input): PutEventsRequestEntry {
  return {
    Source: entry.Source as string,
    DetailType: entry.DetailType as string,
    Detail: entry.Detail as string,
    Resources: Array.isArray(entry.Resources) ? (entry.Resources as string[]) : undefined,
    Time: typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : undefined,
    EventBusName: typeof entry.EventBusName === 'string' ? entry.EventBusName : undefined,
    TraceHeader: typeof entry.TraceHeader === 'string' ? entry.TraceHeader : undefined,
  };
}
