/**
 * Drives decisions end to end on the in-process local stack: waiting workflows made in the wire-level stand-ins,
 * captured through serverless.yml's rules, decided over HTTP (REST, review pages) or EventBridge (PutEvents through
 * the real SDK client), answered through the real SDK clients to the stand-ins.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { LOCAL_DECISION_BUS_NAME, type LocalStack } from '../../infra/local/localStack';
import { type RestClientCredentials, signRestRequest } from '../../shared/channels/restSignature';
import { signSlackRequest } from '../../shared/channels/slackSignature';
import type { SourceKind } from '../../shared/domain/approval';
import { type OpenWaitingOptions, SOURCE_TEST_KITS } from './sourceTestKit';

export type Channel = 'rest' | 'review-link' | 'eventbridge' | 'slack';

export interface WaitingWorkflow {
  source: SourceKind;
  approvalId: string;
  /** What identifies this wait in the stand-in's recorded calls. */
  matchesCall(input: Record<string, unknown>): boolean;
  taskToken?: string;
}

export interface HttpReply {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** The people map's Slack ids of the test approvers (infra/policy.json). */
const SLACK_IDS: Record<string, string> = {
  'email:alice@example.com': 'U024BE7LH',
  'email:carol@example.com': 'U024BE7LC',
};

/** What a browser adds to the review page's form POST: the page's origin (the local stack's public base URL). */
export function reviewPageHeaders(stack: Pick<LocalStack, 'httpUrl'>): Record<string, string> {
  return { origin: new URL(stack.httpUrl).origin };
}

export class DecisionHarness {
  readonly responses: HttpReply[] = [];
  private readonly eventBridge = new EventBridgeClient({});

  constructor(readonly stack: LocalStack) {}

  close(): void {
    this.eventBridge.destroy();
  }

  /** A new waiting workflow of this source, captured as the real event would capture it (approver: alice). */
  async openWaiting(source: SourceKind, options: OpenWaitingOptions = {}): Promise<WaitingWorkflow> {
    const waiting = SOURCE_TEST_KITS[source].openWaiting(this.stack, options);
    const approvalId = await this.capture(waiting.event);
    return {
      source,
      approvalId,
      matchesCall: waiting.matchesCall,
      ...(waiting.taskToken ? { taskToken: waiting.taskToken } : {}),
    };
  }

  private async capture(event: unknown): Promise<string> {
    const [delivery] = await this.stack.publish(event);
    const approvalId = (delivery?.result as { approvalId?: string } | undefined)?.approvalId;
    if (!delivery?.ok || !approvalId) throw new Error(`capture failed: ${JSON.stringify(delivery)}`);
    this.slackMessageOf(approvalId); // remember its ts while its buttons still name it
    return approvalId;
  }

  /** The answer calls the stand-in received for this workflow. */
  answerCalls(workflow: WaitingWorkflow) {
    const { service, operations } = SOURCE_TEST_KITS[workflow.source].answerCalls;
    return operations
      .flatMap((operation) => this.stack.standins.callsTo(service, operation))
      .filter((call) => workflow.matchesCall(call.input as Record<string, unknown>));
  }

  async http(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) {
    const response = await fetch(`${this.stack.httpUrl}${path}`, {
      method,
      headers: init.headers ?? {},
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    const reply: HttpReply = {
      statusCode: response.status,
      headers: Object.fromEntries(response.headers.entries()),
      body: await response.text(),
    };
    this.responses.push(reply);
    return reply;
  }

  /** The review page's form POST as a browser sends it: form-encoded, with the page's own `Origin` (unless told). */
  reviewPost(path: string, form: URLSearchParams, headers: Record<string, string> = reviewPageHeaders(this.stack)) {
    return this.http('POST', path, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: form.toString(),
    });
  }

  /**
   * A REST call signed as a client (default `release-bot`, which acts for alice and carol; a name is one the local
   * stack holds a secret for), or with what the test says instead.
   */
  rest(
    method: string,
    path: string,
    body = '',
    options: {
      signature?: string | null;
      idempotencyKey?: string;
      signedPath?: string;
      timestamp?: number;
      client?: string | RestClientCredentials;
    } = {},
  ) {
    const client = typeof options.client === 'object' ? options.client : this.stack.restClient(options.client);
    const signature =
      options.signature !== undefined
        ? options.signature
        : signRestRequest(client, {
            method,
            pathWithQuery: options.signedPath ?? path,
            body,
            timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
          });
    return this.http(method, path, {
      headers: {
        ...(signature === null ? {} : { 'x-greenlight-signature': signature }),
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
      },
      ...(body ? { body } : {}),
    });
  }

  private readonly slackTs = new Map<string, string>();

  /** The Slack message posted for this approval: found by its buttons (which carry the approval id), then by ts. */
  slackMessageOf(approvalId: string) {
    const messages = this.stack.slack.messages();
    const known = this.slackTs.get(approvalId);
    const message = known
      ? messages.find((candidate) => candidate.ts === known)
      : messages.find((candidate) => JSON.stringify(candidate.blocks ?? []).includes(`"value":"${approvalId}"`));
    if (message) this.slackTs.set(approvalId, message.ts);
    return message;
  }

  /** A Slack interaction as Slack sends it: form-encoded `payload`, signed with the signing secret. */
  slackInteraction(
    payload: unknown,
    options: { timestamp?: number; signature?: string | null; tamper?: boolean } = {},
  ) {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const signature =
      options.signature !== undefined
        ? options.signature
        : signSlackRequest(this.stack.slackSigningSecret, timestamp, body);
    return this.http('POST', '/slack/interactions', {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        ...(signature === null ? {} : { 'x-slack-signature': signature }),
      },
      body: options.tamper ? body.replace('approve', 'reject') : body,
    });
  }

  /** Where Slack says an interaction comes from: the local stack's workspace and app, unless the test says otherwise. */
  slackOrigin(origin: { teamId?: string; appId?: string } = {}) {
    const teamId = origin.teamId ?? this.stack.slackTeamId;
    return { team: { id: teamId, domain: 'greenlight-test' }, api_app_id: origin.appId ?? this.stack.slackAppId };
  }

  /** A click on the message's Approve / Reject button by a Slack user (from the stack's workspace and app). */
  slackClick(
    approvalId: string,
    decision: 'approve' | 'reject',
    slackUserId: string,
    options: Parameters<DecisionHarness['slackInteraction']>[1] & { teamId?: string; appId?: string } = {},
  ) {
    const message = this.slackMessageOf(approvalId);
    return this.slackInteraction(
      {
        type: 'block_actions',
        ...this.slackOrigin(options),
        user: { id: slackUserId, team_id: options.teamId ?? this.stack.slackTeamId },
        trigger_id: randomUUID(),
        channel: { id: message?.channel ?? '#approvals' },
        message: { ts: message?.ts },
        actions: [{ type: 'button', action_id: `greenlight.${decision}`, value: approvalId }],
      },
      options,
    );
  }

  /** One decision through a channel, as the person `approver` would make it there. */
  async decide(
    channel: Channel,
    approvalId: string,
    decision: 'approve' | 'reject',
    approver = 'email:alice@example.com',
  ): Promise<HttpReply | undefined> {
    if (channel === 'rest') {
      return this.rest('POST', `/v1/approvals/${approvalId}/decision`, JSON.stringify({ decision, approver }));
    }
    if (channel === 'slack') {
      const slackId = SLACK_IDS[approver];
      if (!slackId) throw new Error(`no Slack id known for ${approver}`);
      return this.slackClick(approvalId, decision, slackId);
    }
    if (channel === 'review-link') {
      const link = new URL(this.stack.reviewLink(approvalId, approver));
      const form = new URLSearchParams({ t: link.searchParams.get('t') ?? '', decision, comment: 'from the page' });
      return this.reviewPost(link.pathname, form);
    }
    await this.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: LOCAL_DECISION_BUS_NAME,
            Source: 'com.example.release-bot',
            DetailType: 'Approval Decision',
            Detail: JSON.stringify({ approvalId, decision, approver, comment: `bot ${randomUUID()}` }),
          },
        ],
      }),
    );
    return undefined;
  }
}
