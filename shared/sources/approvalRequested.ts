/**
 * `Approval Requested` on Greenlight's request bus is the request of two sources: a Step Functions task (its detail
 * carries `taskToken`) and a Lambda durable function's callback (`callbackId` instead). One capture rule routes both;
 * each event belongs to exactly one source: a detail with a callback id and no task token is Lambda's, any other is
 * Step Functions' (whose parser then names what is missing).
 */
import * as z from '../domain/zodMini';
import { eventBridgeEnvelope } from './eventBridgeEnvelope';
import { isEventBridgeEvent } from './parseEvent';

export const APPROVAL_REQUESTED_DETAIL_TYPE = 'Approval Requested';

/** The EventBridge envelope of a request; the detail is read by the source's own request schema. */
export const approvalRequestedEventSchema = z.object({
  ...eventBridgeEnvelope,
  detail: z.custom<Record<string, unknown>>(
    (detail) => typeof detail === 'object' && detail !== null && !Array.isArray(detail),
    'must be a JSON object',
  ),
});

/** Which source an `Approval Requested` event is the request of; undefined for any other event. */
export function approvalRequestedBy(event: unknown): 'stepfunctions' | 'lambda' | undefined {
  if (!isEventBridgeEvent(event, [APPROVAL_REQUESTED_DETAIL_TYPE])) return undefined;
  const detail: unknown = (event as { detail?: unknown }).detail;
  const carries = (key: string) => typeof detail === 'object' && detail !== null && Object.hasOwn(detail, key);
  return carries('callbackId') && !carries('taskToken') ? 'lambda' : 'stepfunctions';
}
