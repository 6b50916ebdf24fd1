/**
 * Everything Greenlight knows about one AWS service that parks work for a person, in one object: its folder
 * (shared/sources/<kind>/) exports one descriptor, and every registry (capture, answers, probes, endings, console
 * links, labels) is built from the list in sources.ts.
 */

import type { SourceProbe, SourceResumer, WaitingSource, WorkflowEnded } from '../app/sourcePorts';
import type { ContextLink, Outcome, SourceKind } from '../domain/approval';

/** Settings a deployment passes to capture (environment variables in serverless.yml). */
export interface CaptureOptions {
  /**
   * Greenlight's own role ARNs: a source that lists who may signal (SSM aws:approve Approvers) must list them, but
   * they are not people who decide.
   */
  ownRoleArns?: readonly string[];
}

/** How an SDK client is configured: the standard chain by default; tests and the local stack set an endpoint. */
export interface SourceClientConfig {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** E.g. a per-attempt timeout (the reliability suite's hanging stand-ins). */
  requestHandler?: { requestTimeout?: number; connectionTimeout?: number; throwOnRequestTimeout?: boolean };
}

/** The events that say a source's workflow ended, whoever ended it (its approvals then close). */
export interface WorkflowEndings {
  /** EventBridge `source` and detail-types, as the capture rule in serverless.yml routes them. */
  readonly eventSource: string;
  readonly detailTypes: readonly string[];
  /** The statuses that end a workflow. */
  readonly terminalStatuses: readonly string[];
  /** Whether the event is one of these (by source and detail-type). */
  recognises(event: unknown): boolean;
  /** The ended workflow; MalformedEventError when the event is not a valid one. */
  read(event: unknown): WorkflowEnded;
}

/**
 * How people see a source: its name and console links. Kept apart from the rest (no SDK client, no schema) so that
 * the functions that only render (notify, pages) do not bundle every source's client.
 */
export interface SourcePresentation<K extends SourceKind> {
  readonly kind: K;
  /** `AWS Step Functions`. */
  readonly label: string;
  /** AWS console links for the waiting workflow (standard partition only); none when `workflowRef` is not its own. */
  consoleLinks(workflowRef: string, region: string): ContextLink[];
  /** What an answer resumes, for buttons and lists: `execution checkout-deploy`. */
  workflowName(workflowRef: string): string;
  /** What the workflow is told for each outcome, in the source's own words: `SendTaskSuccess: the execution continues`. */
  readonly answers: Readonly<Record<Outcome, string>>;
}

export interface SourceDescriptor<K extends SourceKind, Client extends { destroy(): void } = { destroy(): void }>
  extends SourcePresentation<K> {
  /** How long its workflow waits when the request does not say (the service's own default). */
  readonly defaultTimeoutSeconds: number;
  /** Its one SDK client; made once per cold start by whoever needs the source. */
  createClient(config?: SourceClientConfig): Client;
  waitingSource(client: Client, options: CaptureOptions): WaitingSource;
  resumer(client: Client): SourceResumer;
  probe(client: Client): SourceProbe;
  endings: WorkflowEndings;
}
