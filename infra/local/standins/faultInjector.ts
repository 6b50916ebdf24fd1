import type { ServiceName } from './callLog';

/**
 * A fault to apply to the next matching wire call(s), `times` defaults to 1.
 * - `status`: answer with that HTTP status and an error named `errorName` (a sensible AWS name by default).
 * - `drop`: close the connection without an answer; with `afterApply` the call takes effect first
 *   (the "it worked but the reply was lost" case that retries must survive).
 * - `delayMs`: answer normally, that much later.
 */
export type Fault =
  | { status: number; errorName?: string; times?: number }
  | { drop: true; afterApply?: boolean; times?: number }
  | { delayMs: number; times?: number };

interface PendingFault {
  service: ServiceName;
  operation: string;
  fault: Fault;
  remaining: number;
}

/** Queue of injected faults, matched by service and operation (`*` matches any operation). */
export class FaultInjector {
  private pending: PendingFault[] = [];

  add(service: ServiceName, operation: string, fault: Fault): void {
    this.pending.push({ service, operation, fault, remaining: fault.times ?? 1 });
  }

  /** Takes one use of the first fault that matches this call, if any. */
  take(service: ServiceName, operation: string): Fault | undefined {
    const match = this.pending.find(
      (entry) => entry.service === service && (entry.operation === operation || entry.operation === '*'),
    );
    if (!match) return undefined;
    match.remaining -= 1;
    if (match.remaining <= 0) this.pending = this.pending.filter((entry) => entry !== match);
    return match.fault;
  }

  clear(): void {
    this.pending = [];
  }
}

const DEFAULT_ERROR_NAMES: Record<ServiceName, Record<number, string>> = {
  sfn: { 429: 'ThrottlingException', 500: 'InternalFailure', 503: 'ServiceUnavailable' },
  ssm: { 429: 'ThrottlingException', 500: 'InternalServerError', 503: 'ServiceUnavailable' },
  eventbridge: { 429: 'ThrottlingException', 500: 'InternalException', 503: 'ServiceUnavailable' },
  imagebuilder: { 429: 'CallRateLimitExceededException', 500: 'ServiceException', 503: 'ServiceUnavailableException' },
  sesv2: { 429: 'TooManyRequestsException', 500: 'InternalFailure', 503: 'ServiceUnavailable' },
  lambda: { 429: 'TooManyRequestsException', 500: 'ServiceException', 503: 'ServiceException' },
  // CodePipeline models none of its own: the common errors (APIReference/CommonErrors.html).
  codepipeline: { 429: 'ThrottlingException', 500: 'InternalFailure', 503: 'ServiceUnavailable' },
};

/** The error name a real service would most likely use for an injected status. */
export function defaultFaultErrorName(service: ServiceName, status: number): string {
  return DEFAULT_ERROR_NAMES[service][status] ?? (status === 403 ? 'AccessDeniedException' : 'ValidationException');
}
