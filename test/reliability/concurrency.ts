/**
 * 1. One approval, every channel at once: REST, review-link POSTs, Slack buttons and EventBridge decision events,
 * approve and reject mixed, from approvers and from people who are not. Exactly one answer call reaches the stand-in,
 * the final state matches it, and every reply is a documented status.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { LOCAL_DECISION_BUS_NAME } from '../../infra/local/localStack';
import type { SourceKind } from '../../shared/domain/approval';
import type { HttpReply } from '../support/decisionHarness';
import { openApiViolations } from '../support/openApi';
import { answerCallsOf, checkFinalState, SOURCES } from '../support/reliabilityHarness';
import { reliabilityStats } from '../support/reliabilityStats';
import { DOCUMENTED_STATUSES, type ReliabilityContext } from './context';

type Channel = 'rest' | 'review-link' | 'slack' | 'eventbridge';

interface Person {
  email: string;
  slackId: string;
}

const PEOPLE: Person[] = [
  { email: 'email:alice@example.com', slackId: 'U024BE7LH' }, // approver
  { email: 'email:carol@example.com', slackId: 'U024BE7LC' }, // approver
  { email: 'email:bob@example.com', slackId: 'U024BE7LB' }, // the Step Functions sample's requester; no approver
  { email: 'email:mallory@example.com', slackId: 'U0MALLORY' }, // nobody
];
const CHANNELS: Channel[] = ['rest', 'review-link', 'slack', 'eventbridge'];

interface PlannedRequest {
  channel: Channel;
  person: Person;
  decision: 'approve' | 'reject';
}

/** Every channel × person × decision, `rounds` times, in a seeded shuffle (reproducible). */
function plan(rounds: number, seed: number): PlannedRequest[] {
  const requests: PlannedRequest[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const channel of CHANNELS) {
      for (const person of PEOPLE) {
        for (const decision of ['approve', 'reject'] as const) requests.push({ channel, person, decision });
      }
    }
  }
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  for (let i = requests.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [requests[i], requests[j]] = [requests[j] as PlannedRequest, requests[i] as PlannedRequest];
  }
  return requests;
}

export function concurrencyScenarios(context: ReliabilityContext): void {
  describe('1. one approval decided from every channel at once', () => {
    async function storm(source: SourceKind, options: { requiredApprovals?: number; rounds: number; seed: number }) {
      const { stack, harness } = context;
      const eventBridge = new EventBridgeClient({});
      const workflow = await harness.openWaiting(
        source,
        options.requiredApprovals ? { requiredApprovals: options.requiredApprovals } : {},
      );
      const deadLettersBefore = stack.functions.deadLetters.length;
      const requests = plan(options.rounds, options.seed);

      const send = async (request: PlannedRequest): Promise<{ request: PlannedRequest; reply?: HttpReply }> => {
        const { channel, person, decision } = request;
        if (channel === 'rest') {
          return { request, reply: await harness.decide('rest', workflow.approvalId, decision, person.email) };
        }
        if (channel === 'review-link') {
          return { request, reply: await harness.decide('review-link', workflow.approvalId, decision, person.email) };
        }
        if (channel === 'slack') {
          return { request, reply: await harness.slackClick(workflow.approvalId, decision, person.slackId) };
        }
        const sent = await eventBridge.send(
          new PutEventsCommand({
            Entries: [
              {
                EventBusName: LOCAL_DECISION_BUS_NAME,
                Source: 'com.example.release-bot',
                DetailType: 'Approval Decision',
                Detail: JSON.stringify({ approvalId: workflow.approvalId, decision, approver: person.email }),
              },
            ],
          }),
        );
        expect(sent.FailedEntryCount ?? 0).toBe(0);
        return { request };
      };

      const results = await Promise.all(requests.map(send));
      eventBridge.destroy();
      reliabilityStats.requestsTried += requests.length;

      // Exactly one answer call, and the final state is the one it carried.
      const calls = answerCallsOf(stack, workflow);
      const final = await checkFinalState(stack, workflow);
      expect(calls, `answer calls for ${workflow.approvalId}`).toHaveLength(1);
      expect(calls[0]?.error).toBeUndefined();
      expect(['approved', 'rejected']).toContain(final.status);
      expect(final.consistent).toBe(true);
      // Every reply is documented; a success names the final state (or the answer still under way).
      for (const { request, reply } of results) {
        if (!reply) continue;
        const where = `${request.channel} ${request.person.email} ${request.decision} → ${reply.statusCode}`;
        expect(reply.statusCode, where).toBeLessThan(500);
        expect(DOCUMENTED_STATUSES.has(reply.statusCode), where).toBe(true);
        if (request.channel === 'rest') {
          expect(openApiViolations('POST', '/v1/approvals/{id}/decision', reply), where).toEqual([]);
          if (reply.statusCode === 200) {
            const shown = JSON.parse(reply.body).status;
            expect(options.requiredApprovals ? ['pending', final.status] : [final.status], where).toContain(shown);
          }
        } else if (request.channel === 'review-link') {
          expect(reply.headers['content-type'], where).toMatch(/text\/html/);
        } else {
          expect(reply.statusCode, where).toBe(200);
        }
      }
      // The EventBridge decisions were all handled (applied or refused), none dead-lettered.
      expect(stack.functions.deadLetters.slice(deadLettersBefore)).toEqual([]);
      return final;
    }

    it.each(SOURCES)(
      '%s: 64 requests (4 channels × 4 people × approve/reject, twice) make one answer call and one consistent final state',
      async (source) => {
        await storm(source, { rounds: 2, seed: source.length * 7919 });
      },
      30_000,
    );

    it('stepfunctions, quorum of two: 96 mixed requests still make one answer call', async () => {
      const final = await storm('stepfunctions', { requiredApprovals: 2, rounds: 3, seed: 4242 });
      // With two approvals needed, the outcome is a rejection unless both approvers' approvals landed first.
      const votes = final.approval?.votes ?? [];
      if (final.status === 'approved') expect(votes.filter((vote) => vote.decision === 'approve')).toHaveLength(2);
      else expect(votes.some((vote) => vote.decision === 'reject')).toBe(true);
    }, 30_000);

    it('repeated waves on several approvals at once: one answer each, never a 5xx', async () => {
      const { harness, stack } = context;
      const workflows = await Promise.all(SOURCES.map((source) => harness.openWaiting(source)));
      const replies = await Promise.all(
        workflows.flatMap((workflow) =>
          Array.from({ length: 12 }, (_, index) =>
            harness.decide(
              index % 3 === 0 ? 'review-link' : 'rest',
              workflow.approvalId,
              index % 2 === 0 ? 'approve' : 'reject',
              index % 4 < 2 ? 'email:alice@example.com' : 'email:carol@example.com',
            ),
          ),
        ),
      );
      reliabilityStats.requestsTried += replies.length;
      for (const reply of replies) expect(DOCUMENTED_STATUSES.has(reply?.statusCode ?? 0)).toBe(true);
      for (const workflow of workflows) {
        const final = await checkFinalState(stack, workflow);
        expect(final.consistent).toBe(true);
        expect(answerCallsOf(stack, workflow)).toHaveLength(1);
      }
    }, 30_000);
  });
}
