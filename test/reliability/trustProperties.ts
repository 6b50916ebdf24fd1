/**
 * 6. The trust model as properties (fast-check): canonical identities, the policy as the upper bound, and requests
 * refused at capture answered exactly once under duplicate and concurrent delivery.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approvalIdFor, type WaitingItem } from '../../shared/domain/approval';
import { canonicalIdentity, tryCanonicalIdentity } from '../../shared/domain/identity';
import { applyPolicy, directoryOf, distinctPeople, type PolicyDocument, personOf } from '../../shared/domain/policy';
import { InvalidPolicyError, parsePolicyDocument } from '../../shared/domain/policyDocument';
import { sampleEvent } from '../support/fixtures';
import { approvalItems } from '../support/localStackHelpers';
import { shortReport } from '../support/reliabilityArbitraries';
import { reliabilityStats } from '../support/reliabilityStats';
import type { ReliabilityContext } from './context';

const RUNS = 1000;

// ── identities ──────────────────────────────────────────────────────────────────────────────────────────────────────

const lowerWord = fc.stringMatching(/^[a-z0-9]{1,12}$/);
/** A plain e-mail identity: the "meaning" of an address, which no disguise may change. */
const emailArb = fc
  .tuple(lowerWord, fc.stringMatching(/^[a-z0-9+_-]{0,6}$/), fc.option(lowerWord, { nil: undefined }), lowerWord)
  .chain(([user, tag, dotted, domain]) =>
    fc
      .constantFrom('com', 'org', 'example')
      .map((tld) => `email:${user}${tag}${dotted === undefined ? '' : `.${dotted}`}@${domain}.${tld}`),
  );
const slackArb = fc.stringMatching(/^[UW][A-Z0-9]{2,10}$/).map((id) => `slack:${id}`);
const iamArb = fc
  .tuple(fc.stringMatching(/^\d{12}$/), fc.constantFrom('user', 'role'), lowerWord)
  .map(([account, kind, name]) => `iam:arn:aws:iam::${account}:${kind}/${name}`);
const identityArb = fc.oneof(emailArb, slackArb, iamArb);

const FULL_WIDTH_OFFSET = 0xff01 - 0x21;
interface Disguise {
  upper: boolean;
  fullWidth: boolean;
  trailingDot: boolean;
  spaces: string;
}
/** What a requester could do to make one identity look like another string: case, full width, a dot, spaces. */
const disguiseArb: fc.Arbitrary<Disguise> = fc.record({
  upper: fc.boolean(),
  fullWidth: fc.boolean(),
  trailingDot: fc.boolean(),
  spaces: fc.constantFrom('', ' ', '\t', '  \n'),
});
function disguise(identity: string, how: Disguise): string {
  const colon = identity.indexOf(':');
  let value = identity.slice(colon + 1);
  if (identity.startsWith('email:') && how.upper) value = value.toUpperCase();
  if (identity.startsWith('slack:') && how.upper) value = value.toLowerCase();
  if (identity.startsWith('email:') && how.fullWidth) {
    value = [...value]
      .map((c) => (/[a-z]/i.test(c) ? String.fromCharCode(c.charCodeAt(0) + FULL_WIDTH_OFFSET) : c))
      .join('');
  }
  if (identity.startsWith('email:') && how.trailingDot) value = `${value}.`;
  return `${how.spaces}${identity.slice(0, colon + 1)}${value}${how.spaces}`;
}
const HIDDEN = ['\u200b', '\u200c', '\u200d', '\u2060', '\u202e', '\u2066', '\ufeff', '\u00ad', '\u0000', '\u001b'];

// ── policies and requests ───────────────────────────────────────────────────────────────────────────────────────────

/** People with disjoint identities, one rule over some of them (person: entries and bare identities), a quorum. */
const policyArb = fc
  .uniqueArray(identityArb, { minLength: 2, maxLength: 14, selector: (identity) => canonicalIdentity(identity) })
  .chain((identities) =>
    fc
      .record({
        peopleSizes: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 5 }),
        ruleMask: fc.array(fc.boolean(), { minLength: identities.length, maxLength: identities.length }),
        byPerson: fc.boolean(),
        requiredApprovals: fc.integer({ min: 1, max: 4 }),
        requiredRejections: fc.integer({ min: 1, max: 2 }),
      })
      .map(({ peopleSizes, ruleMask, byPerson, requiredApprovals, requiredRejections }) => {
        const people: Record<string, string[]> = {};
        let next = 0;
        peopleSizes.forEach((size, index) => {
          const mine = identities.slice(next, next + size);
          next += size;
          if (mine.length > 0) people[`p${index}`] = mine;
        });
        const chosen = identities.filter((_, index) => ruleMask[index]);
        const approvers = byPerson
          ? [
              ...new Set(
                chosen.map((identity) => {
                  const owner = Object.entries(people).find(([, ids]) => ids.includes(identity))?.[0];
                  return owner ? `person:${owner}` : identity;
                }),
              ),
            ]
          : chosen;
        return {
          identities,
          document: {
            people,
            rules: [{ name: 'the rule', match: {}, approvers, requiredApprovals, requiredRejections }],
          },
        };
      }),
  );

function parsedOrUndefined(document: unknown): PolicyDocument | undefined {
  try {
    return parsePolicyDocument(document);
  } catch (error) {
    if (error instanceof InvalidPolicyError) return undefined;
    throw error;
  }
}

function waitingItem(request: Partial<WaitingItem>): WaitingItem {
  return {
    source: 'stepfunctions',
    naturalKey: 'token',
    sourceRef: { kind: 'stepfunctions', taskToken: 'token', executionArn: 'arn' },
    workflowRef: 'arn:aws:states:us-east-1:111122223333:execution:x:y',
    title: 'x',
    ...request,
  };
}

export function trustPropertyScenarios(context: ReliabilityContext): void {
  describe(`6. the trust model as properties (${RUNS} runs each)`, () => {
    it('canonicalisation is idempotent, and a disguise never changes which identity it is', () => {
      shortReport(
        fc.check(
          fc.property(identityArb, disguiseArb, (identity, how) => {
            reliabilityStats.requestsTried += 1;
            const canonical = canonicalIdentity(identity);
            expect(canonicalIdentity(canonical)).toBe(canonical);
            expect(canonicalIdentity(disguise(identity, how))).toBe(canonical);
          }),
          { numRuns: RUNS },
        ),
      );
    });

    it('canonicalisation never maps two different identities (or people) to one', () => {
      shortReport(
        fc.check(
          fc.property(identityArb, identityArb, disguiseArb, disguiseArb, (a, b, howA, howB) => {
            reliabilityStats.requestsTried += 1;
            // The generated identities are already canonical: two spellings are one identity only when equal.
            const same = canonicalIdentity(a) === canonicalIdentity(b);
            expect(same).toBe(a === b);
            expect(canonicalIdentity(disguise(a, howA)) === canonicalIdentity(disguise(b, howB))).toBe(same);
            const people = { a: [canonicalIdentity(a)], ...(same ? {} : { b: [canonicalIdentity(b)] }) };
            expect(personOf(disguise(a, howA), { people })).toBe('person:a');
            if (!same) expect(personOf(disguise(b, howB), { people })).toBe('person:b');
          }),
          { numRuns: RUNS },
        ),
      );
    });

    it('an identity with a hidden character anywhere is refused, never read as another', () => {
      shortReport(
        fc.check(
          fc.property(identityArb, fc.constantFrom(...HIDDEN), fc.nat(), (identity, hidden, at) => {
            reliabilityStats.requestsTried += 1;
            const position = 1 + (at % (identity.length - 1));
            const tampered = `${identity.slice(0, position)}${hidden}${identity.slice(position)}`;
            expect(tryCanonicalIdentity(tampered)).toBeUndefined();
          }),
          { numRuns: RUNS },
        ),
      );
    });

    it("for any policy and request: approvers ⊆ the rule's (by person), quorum ≥ the rule's and reachable", () => {
      const outcomes = { eligible: 0, refused: 0 };
      shortReport(
        fc.check(
          fc.property(
            policyArb,
            fc.array(fc.oneof(identityArb, fc.constant('email:mallory@evil.example')), { maxLength: 6 }),
            fc.array(disguiseArb, { minLength: 6, maxLength: 6 }),
            fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
            fc.option(identityArb, { nil: undefined }),
            ({ identities, document }, strangers, disguises, requiredApprovals, requester) => {
              const policy = parsedOrUndefined(document);
              fc.pre(policy !== undefined);
              const rule = (policy as PolicyDocument).rules[0];
              if (rule === undefined) throw new Error('no rule');
              reliabilityStats.requestsTried += 1;
              // The request names some of the policy's identities and some strangers, disguised.
              const named = [...identities.slice(0, 3), ...strangers].map((identity, index) =>
                disguise(identity, disguises[index % disguises.length] as Disguise),
              );
              const item = waitingItem({
                ...(named.length > 0 ? { approvers: named.map((identity) => canonicalIdentity(identity)) } : {}),
                ...(requiredApprovals === undefined ? {} : { requiredApprovals }),
                ...(requester === undefined ? {} : { requestedBy: canonicalIdentity(requester) }),
              });
              const applied = applyPolicy(item, policy as PolicyDocument);
              if (applied.kind === 'refused') {
                outcomes.refused += 1;
                return;
              }
              outcomes.eligible += 1;
              const people = directoryOf(policy as PolicyDocument);
              const rulePeople = distinctPeople(rule.approvers, people);
              for (const person of distinctPeople(applied.item.approvers, people)) {
                expect(rulePeople.has(person)).toBe(true);
              }
              expect(applied.item.requiredApprovals).toBeGreaterThanOrEqual(rule.requiredApprovals ?? 1);
              expect(applied.item.requiredApprovals).toBeGreaterThanOrEqual(requiredApprovals ?? 1);
              const requesterPerson = item.requestedBy ? personOf(item.requestedBy, people) : undefined;
              const mayApprove = [...distinctPeople(applied.item.approvers, people)].filter(
                (person) => person !== requesterPerson,
              );
              expect(mayApprove.length).toBeGreaterThanOrEqual(applied.item.requiredApprovals);
            },
          ),
          { numRuns: RUNS },
        ),
      );
      expect(outcomes.eligible).toBeGreaterThan(RUNS / 20);
      expect(outcomes.refused).toBeGreaterThan(RUNS / 20);
    });

    it('a request refused at capture gets exactly one answer under duplicate and concurrent delivery', async () => {
      const { stack } = context;
      const refusals = [
        (detail: Record<string, unknown>) => (detail.approvers = ['email:mallory@evil.example']),
        (detail: Record<string, unknown>) => (detail.approvers = ['email:al\u200bice@example.com']),
        (detail: Record<string, unknown>) => (detail.requiredApprovals = 9),
        (detail: Record<string, unknown>) => (detail.context = { fields: { huge: 'x'.repeat(5000) } }),
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: refusals.length - 1 }),
          fc.integer({ min: 1, max: 8 }),
          fc.integer({ min: 0, max: 2 }),
          async (which, concurrent, late) => {
            // Prepare: a waiting task the stand-in knows, and a request for it that cannot become an approval
            const waiting = stack.standins.stepFunctions.startWaitingExecution({ stateMachineName: 'refusals' });
            const event = sampleEvent('stepfunctions/approval-requested');
            event.detail.taskToken = waiting.taskToken;
            event.resources = [waiting.executionArn, waiting.stateMachineArn];
            refusals[which]?.(event.detail);
            const callsBefore = stack.standins.calls.length;
            // Act
            const deliveries = (
              await Promise.all(Array.from({ length: concurrent }, () => stack.publish(structuredClone(event))))
            ).flat();
            for (let index = 0; index < late; index++)
              deliveries.push(...(await stack.publish(structuredClone(event))));
            reliabilityStats.requestsTried += deliveries.length;
            // Assess
            const answers = stack.standins.calls
              .slice(callsBefore)
              .filter((call) => (call.input as { taskToken?: string }).taskToken === waiting.taskToken);
            const accepted = answers.filter((call) => call.error === undefined);
            expect(deliveries.every((delivery) => delivery.ok)).toBe(true);
            expect(accepted.map((call) => call.operation)).toEqual(['SendTaskFailure']);
            expect(answers.every((call) => call.error === undefined || call.error.name === 'TaskTimedOut')).toBe(true);
            reliabilityStats.approvalsChecked += 1;
            if (accepted.length > 1) reliabilityStats.duplicateResumeCalls += accepted.length - 1;
            const id = approvalIdFor('stepfunctions', waiting.taskToken);
            const record = (await approvalItems()).find((item) => item.id === id);
            expect(record).toMatchObject({ status: 'cancelled', refusal: { answered: true } });
          },
        ),
        { numRuns: 40, reporter: shortReport },
      );
    }, 120_000);
  });
}
