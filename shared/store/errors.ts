/** Someone else changed the approval between our read and our write; re-read and decide again. */
export class ApprovalVersionConflictError extends Error {
  override readonly name = 'ApprovalVersionConflictError';
  constructor(
    readonly approvalId: string,
    readonly expectedVersion: number,
    options?: { cause?: unknown },
  ) {
    super(`approval ${approvalId} is no longer at version ${expectedVersion}`, options);
  }
}

/** A pagination cursor we did not issue (tampered, truncated or from another query). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor(options?: { cause?: unknown }) {
    super('the pagination cursor is not valid', options);
  }
}

/** Two notifiers wrote the same approval's delivery state at once; the loser re-reads. */
export class DeliveryConflictError extends Error {
  override readonly name = 'DeliveryConflictError';
  constructor(
    readonly approvalId: string,
    options?: { cause?: unknown },
  ) {
    super(`the delivery state of approval ${approvalId} changed meanwhile`, options);
  }
}

/** DynamoDB kept returning keys of a batch read unprocessed (throttled); the read is retried as a whole later. */
export class UnprocessedReadError extends Error {
  override readonly name = 'UnprocessedReadError';
  constructor(readonly unprocessed: number) {
    super(`${unprocessed} approvals could not be read (BatchGetItem left them unprocessed)`);
  }
}
