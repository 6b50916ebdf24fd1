/**
 * fast-check generators of the reliability suite: mutations of the sample events, and the pieces of HTTP requests
 * (ids, query strings, headers, bodies, identities) the fuzzers combine.
 */
import fc from 'fast-check';
import { tryCanonicalIdentity } from '../../shared/domain/identity';
import { policyDocument } from '../../shared/runtime/policy';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const isObject = (value: unknown): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ── reporting ──────────────────────────────────────────────────────────────────────────────────────────────────

/** fast-check's report, cut short: counterexamples may carry 70 KB bodies. */
export function shortReport<Ts>(details: fc.RunDetails<Ts>): void {
  if (!details.failed) return;
  const report = fc.defaultReportMessage(details) ?? 'property failed';
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const cut = (text: string, length: number) =>
    text.length > length ? `${text.slice(0, length)}… (${text.length} characters)` : text;
  throw new Error(`${cut(report, 3000)}\nCaused by: ${cut(cause, 2000)}`);
}

// ── mutations of sample events ─────────────────────────────────────────────────────────────────────────────────────

const MUTATION_KINDS = [
  'delete',
  'replace',
  'retype',
  'insert',
  'empty',
  'huge',
  'null',
  'keyFromValue',
  'duplicate',
] as const;

interface Mutation {
  kind: (typeof MUTATION_KINDS)[number];
  at: number;
  pick: number;
  key: string;
  value: Json;
}

interface Node {
  parent: Json[] | Record<string, Json> | undefined;
  key: string | number;
  value: Json;
}

function nodesOf(root: Json): Node[] {
  const nodes: Node[] = [{ parent: undefined, key: '', value: root }];
  const walk = (value: Json) => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        nodes.push({ parent: value, key: index, value: item });
        walk(item);
      });
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        nodes.push({ parent: value, key, value: item });
        walk(item);
      }
    }
  };
  walk(root);
  return nodes;
}

function retype(value: Json): Json {
  if (typeof value === 'string') return Number.isNaN(Number(value)) ? value.length : Number(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 0;
  if (Array.isArray(value)) return Object.fromEntries(value.map((item, index) => [String(index), item]));
  if (isObject(value)) return Object.values(value);
  return {};
}

function emptied(value: Json): Json {
  if (typeof value === 'string') return '';
  if (typeof value === 'number') return 0;
  if (Array.isArray(value)) return [];
  if (isObject(value)) return {};
  return value;
}

function set(node: Node, value: Json): void {
  if (Array.isArray(node.parent)) node.parent[node.key as number] = value;
  else if (node.parent) node.parent[node.key as string] = value;
}

function applyMutation(root: Json, mutation: Mutation): Json {
  const nodes = nodesOf(root);
  const node = nodes[mutation.at % nodes.length] as Node;
  switch (mutation.kind) {
    case 'delete':
      if (Array.isArray(node.parent)) node.parent.splice(node.key as number, 1);
      else if (node.parent) delete node.parent[node.key as string];
      return root;
    case 'replace':
      if (!node.parent) return mutation.value;
      set(node, mutation.value);
      return root;
    case 'retype':
      if (!node.parent) return retype(root);
      set(node, retype(node.value));
      return root;
    case 'empty':
      if (!node.parent) return emptied(root);
      set(node, emptied(node.value));
      return root;
    case 'huge':
      set(node, typeof node.value === 'string' ? node.value.padEnd(5000, node.value || 'x') : 'x'.repeat(5000));
      return root;
    case 'null':
      if (!node.parent) return null;
      set(node, null);
      return root;
    case 'insert': {
      const containers = nodes.filter((candidate) => Array.isArray(candidate.value) || isObject(candidate.value));
      const container = containers[mutation.pick % Math.max(containers.length, 1)]?.value;
      if (Array.isArray(container)) container.push(mutation.value);
      else if (isObject(container)) container[mutation.key] = mutation.value;
      return root;
    }
    case 'keyFromValue': {
      // A value of the event used as a key elsewhere (e.g. a task token as a field name).
      const strings = nodes.map((candidate) => candidate.value).filter((value) => typeof value === 'string');
      const objects = nodes.map((candidate) => candidate.value).filter(isObject);
      const key = strings[mutation.pick % Math.max(strings.length, 1)];
      const target = objects[mutation.at % Math.max(objects.length, 1)];
      if (typeof key === 'string' && target) target[key] = mutation.value;
      return root;
    }
    case 'duplicate':
      if (Array.isArray(node.value)) node.value.push(...structuredClone(node.value));
      else if (Array.isArray(node.parent)) node.parent.push(structuredClone(node.value));
      return root;
  }
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(...MUTATION_KINDS),
  at: fc.nat(),
  pick: fc.nat(),
  key: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'taskToken', 'detail')),
  value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
});

/** One of the samples with one to four mutations applied (deleted, replaced, retyped, emptied, inflated … parts). */
export function mutatedSample(samples: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.nat(samples.length - 1), fc.array(mutationArb, { minLength: 1, maxLength: 4 }))
    .map(([index, mutations]) =>
      mutations.reduce<Json>(
        (event, mutation) => applyMutation(event, mutation),
        structuredClone(samples[index]) as Json,
      ),
    );
}

/** Arbitrary JSON, or a mutated sample (weighted towards the samples: they reach deeper into the parsers). */
export function eventArb(samples: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((detail) => ({ ...(samples[0] as object), detail })) },
    { weight: 5, arbitrary: mutatedSample(samples) },
  );
}

/** Every string found under a key named `taskToken` or `callbackId` (the secrets that answer a wait), anywhere. */
export function taskTokensIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) taskTokensIn(item, found);
  else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if ((key === 'taskToken' || key === 'callbackId') && typeof item === 'string' && item.length >= 8)
        found.add(item);
      taskTokensIn(item, found);
    }
  }
  return found;
}

// ── identities ──────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Every identity that may decide on the suite's approvals: alice's and carol's, and Greenlight's own role, which the
 * SSM runbooks list among their `aws:approve` Approvers (so the SSM source makes it an approver too).
 */
export const DECIDING_IDENTITIES = new Set([
  ...(policyDocument.people.alice ?? []),
  ...(policyDocument.people.carol ?? []),
  'iam:arn:aws:iam::111122223333:role/greenlight',
]);
/** Whether `raw` is, in canonical form, one of the deciding identities (`email:ALICE@example.com` is alice). */
export function isDecidingIdentity(raw: string): boolean {
  const canonical = tryCanonicalIdentity(raw);
  return canonical !== undefined && DECIDING_IDENTITIES.has(canonical);
}

export const DECIDING_SLACK_IDS = new Set(
  [...DECIDING_IDENTITIES].filter((identity) => identity.startsWith('slack:')).map((identity) => identity.slice(6)),
);

const OTHER_IDENTITIES = [
  'email:mallory@example.com',
  'email:bob@example.com',
  'slack:U024BE7LB',
  'slack:U0MALLORY',
  'iam:arn:aws:iam::111122223333:user/mallory',
  // Near misses that are someone else in canonical form; `email:ALICE@example.com` is alice and decides.
  'email:alice@example.com.evil',
  'email:alice+x@example.com',
  'email:al\u200bice@example.com',
  'iam:arn:aws:iam::111122223333:role/deployer',
];

/** Identities (and non-identities) that may not decide: valid-looking ones, near misses, garbage. */
export const nonDecidingIdentityArb: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(...OTHER_IDENTITIES),
    fc.constantFrom(...DECIDING_IDENTITIES).map((identity) => `${identity}x`),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ maxLength: 30 }).map((local) => `email:${local}@example.com`),
  )
  .filter((identity) => !DECIDING_IDENTITIES.has(identity.trim()));

export const decidingIdentityArb: fc.Arbitrary<string> = fc.constantFrom(...DECIDING_IDENTITIES);

export const slackUserArb: fc.Arbitrary<string> = fc
  .oneof(fc.constantFrom('U024BE7LB', 'U0MALLORY', 'W123ABC', '', ' '), fc.string({ maxLength: 20 }))
  .filter((id) => !DECIDING_SLACK_IDS.has(id));

// ── HTTP pieces ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** Approval ids: known ones, well-formed unknown ones, near misses, garbage. */
export function approvalIdArb(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: fc.stringMatching(/^apr_[0-9a-f]{32}$/) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...known), fc.constantFrom('upper', 'extra', 'cut', 'space', 'slash'))
        .map(([id, how]) =>
          how === 'upper'
            ? id.toUpperCase()
            : how === 'extra'
              ? `${id}0`
              : how === 'cut'
                ? id.slice(0, -1)
                : how === 'space'
                  ? ` ${id}`
                  : `${id}/x`,
        ),
    },
    { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 80 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', '..', '%', '%00', 'apr_', 'a'.repeat(3000)) },
  );
}

/** A path segment: usually percent-encoded as a client would; sometimes sent raw (malformed escapes included). */
export function pathSegmentArb(id: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: id.map((value) => encodeURIComponent(value)) },
    {
      weight: 1,
      arbitrary: id.filter((value) => !/[/?#\s]/.test(value) && value !== '' && value !== '.' && value !== '..'),
    },
  );
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Pagination cursors: garbage, base64 of anything, and well-shaped forgeries of the store's cursor. */
export const cursorArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.base64String({ maxLength: 80 }),
  fc.jsonValue({ maxDepth: 2 }).map((value) => base64url(JSON.stringify(value))),
  fc
    .record({
      pk: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('APPROVAL#apr_0123')),
      sk: fc.oneof(fc.string({ maxLength: 10 }), fc.constant('APPROVAL')),
      openStatus: fc.constantFrom('pending', 'resuming', 'approved', ''),
      openSince: fc.string({ maxLength: 60 }),
    })
    .map((key) => base64url(JSON.stringify(key))),
  fc.constant('x'.repeat(3000)),
);

const QUERY_KEYS = ['status', 'limit', 'cursor', 't', 'decision', 'x', '__proto__', 'constructor', 'status[]', ''];

export const queryStringArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.constant('') },
  {
    weight: 5,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 12 })),
          fc.oneof(
            fc.constantFrom(
              'pending',
              'resuming',
              'approved',
              'PENDING',
              '',
              '0',
              '1',
              '100',
              '101',
              '-1',
              '1e1',
              '0x10',
            ),
            fc.integer().map(String),
            cursorArb,
            fc.string({ maxLength: 40 }),
          ),
        ),
        { maxLength: 5 },
      )
      .map((pairs) => new URLSearchParams(pairs).toString()),
  },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((raw) => raw.replace(/[#\s]/g, '')),
  },
);

const HEADER_NAMES = [
  'content-type',
  'idempotency-key',
  'x-greenlight-signature',
  'x-slack-signature',
  'x-slack-request-timestamp',
  'content-length',
  'cookie',
  'accept',
  'host',
  'x-forwarded-for',
  'user-agent',
  'origin',
  'sec-fetch-site',
];

const CONTENT_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'text/html; charset=utf-8',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/octet-stream',
  '',
];

const headerValueArb = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 80 }).map((value) => value.replace(/[\r\n]/g, '')),
  fc.constantFrom(...CONTENT_TYPES),
  fc.constant('x'.repeat(2000)),
);

/** Headers as a client could send them (names lower-cased; no CR/LF in values: HTTP would not carry them). */
export const headersArb: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/)),
  headerValueArb,
  { maxKeys: 6 },
);

export const contentTypeArb: fc.Arbitrary<string | undefined> = fc.option(fc.constantFrom(...CONTENT_TYPES), {
  nil: undefined,
});

/** Raw bodies: nothing, text, JSON of anything, binary bytes, an oversized one. */
export const rawBodyArb: fc.Arbitrary<string | Buffer | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
  { weight: 3, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.constant('{"decision":"approve","comment":"'.padEnd(70_000, 'x')) },
);

/** A JSON value that is not the expected type, to put where a string or an object is expected. */
export const wrongJsonArb = fc.jsonValue({ maxDepth: 2 });

/** How a request is signed: mostly correctly (so the fuzzing reaches past the signature check), else not. */
export function signatureModeArb() {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant('signed') },
    { weight: 5, arbitrary: fc.constantFrom('none', 'garbage', 'wrong', 'stale', 'future') },
  );
}

/** Mostly `valid`, now and then `garbage` in its place. */
export function mostly<T, U>(valid: fc.Arbitrary<T>, garbage: fc.Arbitrary<U>): fc.Arbitrary<T | U> {
  return fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: garbage });
}

export const hex64Arb = fc.stringMatching(/^[0-9a-f]{64}$/);
