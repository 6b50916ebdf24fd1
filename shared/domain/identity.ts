/**
 * How Greenlight names whoever may decide: `email:<address>`, `slack:<user id>`, `iam:<IAM ARN>`, or
 * `client:<name>` (a machine caller deciding as itself). Every identity is brought to one canonical form before it is
 * compared, stored or shown (DESIGN "Trust model"), so that `email:Carol@Example.COM.` and `email:carol@example.com`
 * are one person, and characters that hide what an identity says (zero-width, bidi overrides) are refused.
 */
import { InvalidIdentityError } from './errors';

export type IdentityKind = 'email' | 'slack' | 'iam' | 'client';

export const IDENTITY_RULE = 'must be an identity: email:<address>, slack:<user id>, iam:<IAM ARN> or client:<name>';

/**
 * The longest identity accepted (canonical form): an e-mail address is at most 254 characters, an IAM role or session
 * ARN without a long path well under 256. The bound keeps the votes of an approval item small (approvalLimits).
 */
export const MAX_IDENTITY_LENGTH = 256;

/**
 * Control (Cc), format (Cf: zero-width, bidi overrides, soft hyphen…), private-use (Co), lone surrogates (Cs) and
 * line/paragraph separators: nothing an identity needs, everything that makes two identities look alike.
 */
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}]/u;

/** Unicode White_Space only: unlike String.prototype.trim, it leaves a byte-order mark in place to be refused. */
const SURROUNDING_WHITE_SPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;

/** A REST client's name (`client:<name>`, the `keyId` of its signatures, the last part of its secret's parameter). */
export const CLIENT_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * Every identity is printable ASCII after NFKC: e-mail addresses (internationalised domains in their `xn--` form),
 * Slack ids, IAM ARNs (IAM names use `[\w+=,.@-]`) and client names. So no look-alike letter (Cyrillic `а`), no
 * combining mark and no invisible filler (Hangul filler, braille blank, variation selector) can make one identity
 * look like another.
 */
const PATTERNS: Record<IdentityKind, RegExp> = {
  // One @, a dot in the domain after the trailing dot is removed.
  email:
    /^[!#-'*+\-/-9=?A-Z^-~]+(\.[!#-'*+\-/-9=?A-Z^-~]+)*@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
  slack: /^[UW][A-Z0-9]{2,}$/,
  iam: /^arn:aws[a-z-]*:(iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/:-]+$/,
  client: CLIENT_NAME_PATTERN,
};

/** `iam:arn:…:sts::<account>:assumed-role/AWSReservedSSO_<permission set>_<id>/<session name>`: IAM Identity Center. */
const IDENTITY_CENTER_SESSION = /^iam:arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/AWSReservedSSO_[^/]+\/([^/]+)$/;

/**
 * The canonical form of an identity: Unicode NFKC, trimmed, the kind in lower case; e-mail addresses lower-cased with
 * a trailing dot of the domain removed; Slack ids upper-cased. Plus-addressing stays as it is (`a+b@…` is another
 * identity; the people map can join them). Throws InvalidIdentityError, which never echoes the value.
 */
export function canonicalIdentity(raw: string): string {
  if (typeof raw !== 'string') throw new InvalidIdentityError('is not a string');
  if (raw.length > MAX_IDENTITY_LENGTH * 2) throw new InvalidIdentityError('is too long');
  // Surrounding white space is harmless and trimmed (a pasted tab or newline); anything hidden inside, or a
  // zero-width/BOM character anywhere, is refused.
  const normalized = raw.normalize('NFKC').replace(SURROUNDING_WHITE_SPACE, '');
  if (HIDDEN_CHARACTERS.test(normalized)) {
    throw new InvalidIdentityError('contains control or invisible formatting characters');
  }
  const separator = normalized.indexOf(':');
  const kind = normalized.slice(0, Math.max(separator, 0)).toLowerCase();
  let value = normalized.slice(separator + 1);
  switch (kind) {
    case 'email':
      value = value.toLowerCase().replace(/\.+$/, '');
      break;
    case 'slack':
      value = value.toUpperCase();
      break;
    case 'client':
      value = value.toLowerCase();
      break;
    case 'iam':
      break;
    default:
      throw new InvalidIdentityError(IDENTITY_RULE);
  }
  const identity = `${kind}:${value}`;
  if (!PATTERNS[kind].test(value)) throw new InvalidIdentityError(IDENTITY_RULE);
  if (identity.length > MAX_IDENTITY_LENGTH) throw new InvalidIdentityError('is too long');
  return identity;
}

/** The canonical form, or undefined when the value is not an identity. */
export function tryCanonicalIdentity(raw: string): string | undefined {
  try {
    return canonicalIdentity(raw);
  } catch (error) {
    if (error instanceof InvalidIdentityError) return undefined;
    throw error;
  }
}

export function isIdentity(value: string): boolean {
  return tryCanonicalIdentity(value) !== undefined;
}

export function identityKind(identity: string): IdentityKind {
  return identity.slice(0, identity.indexOf(':')) as IdentityKind;
}

/**
 * The `email:` identity an IAM Identity Center session stands for, when it is a session of one of the trusted
 * `accounts` and its session name is an e-mail address (what Identity Center puts there for users whose user name is
 * their address); undefined for any other identity. Any account could name a role `AWSReservedSSO_…`: only the
 * operator's own accounts are believed.
 */
export function identityCenterEmail(identity: string, accounts: readonly string[]): string | undefined {
  const match = IDENTITY_CENTER_SESSION.exec(identity);
  if (match === null || !accounts.includes(match[1] as string)) return undefined;
  const session = match[2] as string;
  if (!session.includes('@')) return undefined;
  return tryCanonicalIdentity(`email:${session}`);
}

/**
 * Whether `identity` matches one of the glob patterns (`*` is any run of characters, on canonical forms). An Identity
 * Center session is matched as the session ARN, not as its e-mail: the pattern must name the accounts trusted to
 * speak for that address (e.g. `iam:arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_*`).
 */
export function identityAllowed(identity: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => globMatches(pattern, identity));
}

const globCache = new Map<string, RegExp>();

/** `*` = any run of characters, everything else literal; the whole string must match. */
export function globMatches(glob: string, value: string): boolean {
  let pattern = globCache.get(glob);
  if (pattern === undefined) {
    const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
    pattern = new RegExp(`^${escaped}$`, 's');
    globCache.set(glob, pattern);
  }
  return pattern.test(value);
}
