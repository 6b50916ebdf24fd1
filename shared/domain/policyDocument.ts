/**
 * The policy file (infra/policy.json), validated when a function starts: a broken policy must fail loudly. Every
 * identity in it is brought to canonical form; a file that cannot work as written (an identity in two people, an
 * unknown person, an identity outside `identities.allowed`, a quorum no set of distinct people can reach) is refused
 * as a broken file is.
 */
import { SOURCE_KINDS } from './approval';
import { CLIENT_NAME_PATTERN, identityAllowed } from './identity';
import { identityField } from './identityField';
import { directoryOf, distinctPeople, MAX_PEOPLE_PER_APPROVAL, type PolicyDocument, peopleEntry } from './policy';
import * as z from './zodMini';

const slackChannel = z
  .string()
  .check(z.regex(/^(#[a-z0-9_-]{1,80}|[CG][A-Z0-9]{2,})$/, 'must be a Slack channel id (C…) or #name'));
const personReference = z.string().check(z.regex(/^person:[\w.-]{1,64}$/, 'must be an identity or person:<name>'));
const approverEntry = z.union([personReference, identityField]);
/** `*` globs over canonical identities, e.g. `email:*@example.com`. */
const identityPattern = z
  .string()
  .check(
    z.minLength(3),
    z.maxLength(512),
    z.regex(/^(email|slack|iam|client):/, 'must start with email:, slack:, iam: or client:'),
  );
/** For whom a REST client may name an approver: identity globs or `person:<name>`. */
const actsForEntry = z.union([personReference, identityPattern]);
const clientName = z.string().check(z.regex(CLIENT_NAME_PATTERN, 'must be a client name: [a-z0-9][a-z0-9._-]{0,63}'));
const positiveInteger = (minimum: number) => z.optional(z.int().check(z.minimum(minimum)));

export const policyDocumentSchema = z.strictObject({
  people: z._default(
    z.record(z.string().check(z.regex(/^[\w.-]{1,64}$/)), z.array(identityField).check(z.minLength(1))),
    {},
  ),
  rules: z._default(
    z.array(
      z.object({
        name: z.string().check(z.minLength(1)),
        match: z.object({
          source: z.optional(z.enum(SOURCE_KINDS)),
          resource: z.optional(z.string().check(z.minLength(1))),
        }),
        approvers: z.array(approverEntry).check(z.maxLength(MAX_PEOPLE_PER_APPROVAL)),
        requiredApprovals: positiveInteger(1),
        requiredRejections: positiveInteger(1),
        timeoutSeconds: positiveInteger(60),
        slackChannel: z.optional(slackChannel),
        emailRecipients: z.optional(
          z.array(identityField.check(z.refine((value) => value.startsWith('email:'), 'must be an email: identity'))),
        ),
      }),
    ),
    [],
  ),
  identities: z.optional(
    z.strictObject({
      allowed: z.optional(z.array(identityPattern).check(z.minLength(1))),
      identityCenterAccounts: z.optional(
        z.array(z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit AWS account id'))),
      ),
    }),
  ),
  defaults: z.optional(z.strictObject({ slackChannel: z.optional(slackChannel) })),
  clients: z._default(
    z.record(clientName, z.strictObject({ actsFor: z.optional(z.array(actsForEntry).check(z.maxLength(100))) })),
    {},
  ),
});

export class InvalidPolicyError extends Error {
  override readonly name = 'InvalidPolicyError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function parsePolicyDocument(input: unknown): PolicyDocument {
  const result = policyDocumentSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new InvalidPolicyError(`the policy file is not valid: ${issues.join('; ')}`, { cause: result.error });
  }
  const document: PolicyDocument = result.data;
  const problems = policyProblems(document);
  if (problems.length > 0) throw new InvalidPolicyError(`the policy file cannot work: ${problems.join('; ')}`);
  return deepFreeze(document);
}

/** What makes a well-formed policy unworkable or looser than it reads. */
function policyProblems(document: PolicyDocument): string[] {
  const problems: string[] = [];
  const owner = new Map<string, string>();
  for (const [name, identities] of Object.entries(document.people)) {
    for (const identity of identities) {
      const other = owner.get(identity);
      if (other !== undefined && other !== name) {
        problems.push(`people.${name}: ${identity} is already an identity of ${other}; one identity is one person`);
      }
      owner.set(identity, name);
    }
  }
  const allowed = document.identities?.allowed;
  const outside = (where: string, identities: readonly string[]) => {
    if (allowed === undefined) return;
    for (const identity of identities) {
      if (!identityAllowed(identity, allowed)) problems.push(`${where}: ${identity} is outside identities.allowed`);
    }
  };
  for (const [name, identities] of Object.entries(document.people)) outside(`people.${name}`, identities);
  for (const [name, client] of Object.entries(document.clients ?? {})) {
    for (const entry of client.actsFor ?? []) {
      if (entry.startsWith('person:') && peopleEntry(document.people, entry.slice('person:'.length)) === undefined) {
        problems.push(`clients.${name}.actsFor: ${entry} is not in the people map`);
      }
    }
  }
  document.rules.forEach((rule, index) => {
    const where = `rules.${index} ("${rule.name}")`;
    for (const entry of rule.approvers) {
      if (entry.startsWith('person:') && peopleEntry(document.people, entry.slice('person:'.length)) === undefined) {
        problems.push(`${where}: ${entry} is not in the people map`);
      }
    }
    outside(
      where,
      rule.approvers.filter((entry) => !entry.startsWith('person:')),
    );
    outside(`${where}.emailRecipients`, rule.emailRecipients ?? []);
    const people = distinctPeople(rule.approvers, directoryOf(document)).size;
    if (people > MAX_PEOPLE_PER_APPROVAL) {
      problems.push(`${where}: names ${people} people; at most ${MAX_PEOPLE_PER_APPROVAL}`);
    }
    for (const [field, needed] of [
      ['requiredApprovals', rule.requiredApprovals ?? 1],
      ['requiredRejections', rule.requiredRejections ?? 1],
    ] as const) {
      if (needed > people) {
        problems.push(
          `${where}: ${field} ${needed} cannot be reached by ${people} distinct ${people === 1 ? 'person' : 'people'}`,
        );
      }
    }
  });
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
