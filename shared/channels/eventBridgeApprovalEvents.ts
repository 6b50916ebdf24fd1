/**
 * Publishes Greenlight's own events on its bus (source `greenlight`) for automation to react to. The detail is the
 * approval's public view: never the source reference that holds a task token.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { ApprovalEventPublisher, ApprovalEventType } from '../app/ports';
import { type Approval, toPublicApproval } from '../domain/approval';

export const GREENLIGHT_EVENT_SOURCE = 'greenlight';

export class OutboundEventRejectedError extends Error {
  override readonly name = 'OutboundEventRejectedError';
  constructor(
    readonly errorCode: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export class EventBridgeApprovalEvents implements ApprovalEventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  async publish(type: ApprovalEventType, approval: Approval): Promise<void> {
    const output = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.eventBusName,
            Source: GREENLIGHT_EVENT_SOURCE,
            DetailType: type,
            Detail: JSON.stringify({ approvalId: approval.id, approval: toPublicApproval(approval) }),
          },
        ],
      }),
    );
    const failed = output.Entries?.find((entry) => entry.ErrorCode);
    if ((output.FailedEntryCount ?? 0) > 0 || failed) {
      throw new OutboundEventRejectedError(failed?.ErrorCode, failed?.ErrorMessage ?? 'EventBridge rejected the event');
    }
  }
}
