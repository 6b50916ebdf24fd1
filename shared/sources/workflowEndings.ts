/** How a source's "workflow ended" events are recognised and read, from its detail-types and one schema. */
import type { WorkflowEnded } from '../app/sourcePorts';
import type { SourceKind } from '../domain/approval';
import type * as z from '../domain/zodMini';
import { isEventBridgeEvent, parseEvent } from './parseEvent';
import type { WorkflowEndings } from './sourceDescriptor';

export function workflowEndings<Schema extends z.ZodMiniType>(definition: {
  kind: SourceKind;
  eventSource: string;
  detailTypes: readonly string[];
  terminalStatuses: readonly string[];
  /** What the event is called in errors, e.g. `execution status change`. */
  what: string;
  schema: Schema;
  /** The ended workflow, from the parsed event. */
  read: (event: z.output<Schema>) => Omit<WorkflowEnded, 'source'>;
}): WorkflowEndings {
  const recognises = (event: unknown) => isEventBridgeEvent(event, definition.detailTypes, definition.eventSource);
  return {
    eventSource: definition.eventSource,
    detailTypes: definition.detailTypes,
    terminalStatuses: definition.terminalStatuses,
    recognises,
    read: (event) => ({
      source: definition.kind,
      ...definition.read(parseEvent(definition.schema, event, definition.kind, definition.what)),
    }),
  };
}

/** `z.enum` of a status list. */
export function statusList(statuses: readonly string[]): [string, ...string[]] {
  return statuses as [string, ...string[]];
}
