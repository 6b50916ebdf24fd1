/** Small ports the use cases take besides the store and the sources. */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The part of the Powertools Logger the use cases need; attributes must never carry secrets. */
export interface Log {
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

/** Greenlight's own outbound events (EventBridge, source `greenlight`): public views only, never a task token. */
export type ApprovalEventType = 'Approval Opened' | 'Approval Vote Recorded' | 'Approval Decided' | 'Approval Closed';

export interface ApprovalEventPublisher {
  publish(type: ApprovalEventType, approval: import('../domain/approval').Approval): Promise<void>;
}
