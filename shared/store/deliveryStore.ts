/**
 * Where each notification of an approval stands (Slack message, e-mails), kept beside the approval in its own item
 * so that delivery bookkeeping never races with the approval's own conditional writes.
 */
export interface SlackDelivery {
  channel: string;
  /** The posted message's timestamp (Slack's message id); absent until the first post succeeded. */
  ts?: string;
  /** The approval version the message shows; a state change is rendered once. */
  renderedVersion: number;
  status: 'delivered' | 'retrying' | 'failed';
  attempts: number;
  lastError?: string;
  updatedAt: string;
}

export interface EmailDelivery {
  status: 'sent' | 'retrying' | 'failed';
  messageId?: string;
  attempts: number;
  lastError?: string;
  updatedAt: string;
}

export interface DeliveryState {
  approvalId: string;
  /** Optimistic-concurrency counter of this item. */
  revision: number;
  slack?: SlackDelivery;
  emails: Record<string, EmailDelivery>;
  /** When approvers were last reminded of this approval. */
  lastRemindedAt?: string;
  /**
   * Set by the notifier that is sending right now (one conditional write before any message goes out); the others wait
   * for it, so two notifiers never post one approval's message twice. Expires on its own if that notifier dies.
   */
  claimedUntil?: string;
}

export interface DeliveryStore {
  get(approvalId: string): Promise<DeliveryState | undefined>;
  /** Writes `state` if the stored revision is still `state.revision - 1` (0 = not stored yet); else DeliveryConflictError. */
  save(state: DeliveryState): Promise<void>;
}
