/**
 * REST clients (DESIGN "Trust model"): a client proves who it is with its own signing secret (`keyId=<name>`), decides
 * as `client:<name>`, and may name another `approver` only inside its policy entry's `actsFor`. Pure functions; every
 * identity is compared in canonical form (identity.ts).
 */
import { ClientMayNotActForError } from './errors';
import { CLIENT_NAME_PATTERN, canonicalIdentity, globMatches } from './identity';
import { directoryOf, type PolicyClient, type PolicyDocument, personOf } from './policy';

/** What the client checks read of the policy: the clients, and the people map to resolve `person:` entries. */
export type ClientPolicy = Pick<PolicyDocument, 'people' | 'clients' | 'identities'>;

/** Who decides, as the decision use case takes it: the approver, and the client that acted for them (if any). */
export interface ClientDecider {
  approver: string;
  via?: string;
}

const CLIENT_PREFIX = 'client:';

/** The identity a client decides as. */
export function clientIdentity(name: string): string {
  return `${CLIENT_PREFIX}${name}`;
}

/** The policy's entry for this client name; undefined when the policy declares no such client (own entries only). */
export function policyClient(policy: Pick<PolicyDocument, 'clients'>, name: string): PolicyClient | undefined {
  const clients = policy.clients ?? {};
  return CLIENT_NAME_PATTERN.test(name) && Object.hasOwn(clients, name) ? clients[name] : undefined;
}

/**
 * Whether the REST client `client` (`client:<name>`, declared in the policy) may decide as `approver`: always as
 * itself; as anyone else only when one of its `actsFor` entries names them — `person:<name>` any identity of that
 * person (as the people map and trusted Identity Center sessions resolve it), a glob the approver's canonical identity
 * itself. Throws InvalidIdentityError when `approver` is not an identity.
 */
export function mayActFor(client: string, approver: string, policy: ClientPolicy): boolean {
  const caller = canonicalIdentity(client);
  if (!caller.startsWith(CLIENT_PREFIX)) return false;
  const entry = policyClient(policy, caller.slice(CLIENT_PREFIX.length));
  if (entry === undefined) return false;
  const named = canonicalIdentity(approver);
  if (named === caller) return true;
  const directory = directoryOf(policy);
  return (entry.actsFor ?? []).some((pattern) =>
    pattern.startsWith('person:') ? personOf(named, directory) === pattern : globMatches(pattern, named),
  );
}

/**
 * Who decides when `client` sends a decision: with no `approver`, the client itself; with one, that approver, acted
 * for by the client (`via`), when `mayActFor` allows it. Throws ClientMayNotActForError otherwise.
 */
export function clientDecider(client: string, approver: string | undefined, policy: ClientPolicy): ClientDecider {
  const caller = canonicalIdentity(client);
  if (approver === undefined) return { approver: caller };
  const named = canonicalIdentity(approver);
  if (!mayActFor(caller, named, policy)) throw new ClientMayNotActForError(caller, named);
  return named === caller ? { approver: named } : { approver: named, via: caller };
}
