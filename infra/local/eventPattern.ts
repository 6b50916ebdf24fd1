// EventBridge event-pattern matching for the local stack, so it routes events with the exact patterns serverless.yml
// deploys. Semantics follow the Amazon EventBridge User Guide:
//  - Event patterns / syntax:  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
//                              https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html
//  - Comparison operators:     https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
//  - Content filtering:        https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
//  - Arrays:                   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
//  - Null and empty strings:   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
//
// The rules, as implemented here:
//  - Every field named in the pattern must be present in the event with the same nesting; fields the pattern does not
//    name are ignored. Keys are ANDed; the values in a field's array are ORed.
//  - Matching is exact and case-sensitive for strings; null and "" are different values.
//  - If the event value is an array, the field matches when any element matches ("the intersection is non-empty").
//  - Operators (objects inside the array): prefix, suffix, equals-ignore-case (also inside prefix/suffix), wildcard
//    (`*` = any run of characters, `\*` and `\\` are literals), anything-but (a value, a list of values, or
//    {prefix | suffix | equals-ignore-case | wildcard}), numeric ([op, n] or [op, n, op, n] with < <= = >= >),
//    exists (leaf nodes only: an object is not a leaf, so it does not "exist"), and $or (a list of sub-patterns).
//  - anything-but (like every operator except `exists: false`) needs the field to be present.
// Not implemented (throws, so a pattern we do not understand is never silently misrouted): cidr and any other operator.
// Known deviation: AWS compares exact numbers by their JSON text (300 and 300.0 differ); after JSON.parse we cannot.

export type EventPattern = { [field: string]: unknown };

type Scalar = string | number | boolean | null;
type Dict = Record<string, unknown>;

const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is Scalar =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

export class UnsupportedEventPatternError extends Error {
  override name = 'UnsupportedEventPatternError';
}

/** True when `event` matches the EventBridge `pattern`. Throws UnsupportedEventPatternError for invalid patterns. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  if (!isDict(pattern)) throw new UnsupportedEventPatternError('an event pattern must be a JSON object');
  return matchObject(pattern, event, '');
}

function matchObject(pattern: Dict, node: unknown, path: string): boolean {
  for (const [key, expected] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(expected) || expected.length === 0 || !expected.every(isDict)) {
        throw new UnsupportedEventPatternError(`${at}: $or needs a non-empty list of sub-patterns`);
      }
      if (!expected.some((sub) => matchObject(sub, node, path))) return false;
      continue;
    }
    const value = isDict(node) && Object.hasOwn(node, key) ? node[key] : undefined;
    if (Array.isArray(expected)) {
      if (!matchLeaf(expected, leafValues(value), at)) return false;
    } else if (isDict(expected)) {
      // Nested pattern: the event must have an object here. For an array of objects, one element must match the
      // whole nested pattern.
      const candidates = Array.isArray(value) ? value.flat(Number.POSITIVE_INFINITY) : [value];
      if (!candidates.some((c) => isDict(c) && matchObject(expected, c, at))) return false;
    } else {
      throw new UnsupportedEventPatternError(`${at}: pattern values must be arrays or objects`);
    }
  }
  return true;
}

/** The scalar values found at a leaf: none when absent or an object (not a leaf), all elements of (nested) arrays. */
function leafValues(value: unknown): Scalar[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value.flat(Number.POSITIVE_INFINITY) : [value];
  return items.filter(isScalar);
}

function matchLeaf(conditions: unknown[], values: Scalar[], at: string): boolean {
  if (conditions.length === 0) throw new UnsupportedEventPatternError(`${at}: empty match list`);
  return conditions.some((condition) => {
    if (isScalar(condition)) return values.some((v) => v === condition);
    if (!isDict(condition)) throw new UnsupportedEventPatternError(`${at}: unsupported match value`);
    const [operator, ...rest] = Object.keys(condition);
    if (operator === undefined || rest.length > 0) {
      throw new UnsupportedEventPatternError(`${at}: each operator object must have exactly one key`);
    }
    const operand = condition[operator];
    if (operator === 'exists') {
      if (typeof operand !== 'boolean') throw new UnsupportedEventPatternError(`${at}: exists takes true or false`);
      return values.length > 0 === operand;
    }
    if (operator === 'anything-but') {
      const excluded = anythingBut(operand, at);
      return values.some((v) => !excluded(v));
    }
    const test = valueTest(operator, operand, at);
    return values.some(test);
  });
}

type ValueTest = (value: Scalar) => boolean;

const lower = (s: string) => s.toLowerCase();

function stringOperand(operand: unknown, what: string, at: string): string {
  if (typeof operand !== 'string') throw new UnsupportedEventPatternError(`${at}: ${what} takes a string`);
  return operand;
}

/** prefix / suffix take a string or { "equals-ignore-case": string }. */
function affixOperand(operand: unknown, what: string, at: string): { text: string; ignoreCase: boolean } {
  if (isDict(operand) && Object.keys(operand).length === 1 && 'equals-ignore-case' in operand) {
    return { text: stringOperand(operand['equals-ignore-case'], what, at), ignoreCase: true };
  }
  return { text: stringOperand(operand, what, at), ignoreCase: false };
}

function valueTest(operator: string, operand: unknown, at: string): ValueTest {
  switch (operator) {
    case 'prefix': {
      const { text, ignoreCase } = affixOperand(operand, 'prefix', at);
      return (v) => typeof v === 'string' && (ignoreCase ? lower(v).startsWith(lower(text)) : v.startsWith(text));
    }
    case 'suffix': {
      const { text, ignoreCase } = affixOperand(operand, 'suffix', at);
      return (v) => typeof v === 'string' && (ignoreCase ? lower(v).endsWith(lower(text)) : v.endsWith(text));
    }
    case 'equals-ignore-case': {
      const text = lower(stringOperand(operand, 'equals-ignore-case', at));
      return (v) => typeof v === 'string' && lower(v) === text;
    }
    case 'wildcard': {
      const regex = wildcardRegExp(stringOperand(operand, 'wildcard', at));
      return (v) => typeof v === 'string' && regex.test(v);
    }
    case 'numeric':
      return numericTest(operand, at);
    default:
      throw new UnsupportedEventPatternError(`${at}: unsupported operator "${operator}"`);
  }
}

/** Returns the test for the values anything-but EXCLUDES. */
function anythingBut(operand: unknown, at: string): ValueTest {
  if (isScalar(operand)) return (v) => v === operand;
  if (Array.isArray(operand)) {
    if (operand.length === 0 || !operand.every(isScalar)) {
      throw new UnsupportedEventPatternError(`${at}: anything-but takes a value or a non-empty list of values`);
    }
    return (v) => operand.includes(v);
  }
  if (isDict(operand)) {
    const [operator, ...rest] = Object.keys(operand);
    if (operator === undefined || rest.length > 0) {
      throw new UnsupportedEventPatternError(`${at}: anything-but takes exactly one operator`);
    }
    const inner = operand[operator];
    // equals-ignore-case and wildcard accept a list here (any of them is excluded); prefix and suffix take one string.
    if ((operator === 'equals-ignore-case' || operator === 'wildcard') && Array.isArray(inner)) {
      const tests = inner.map((item) => valueTest(operator, item, at));
      return (v) => tests.some((t) => t(v));
    }
    if (['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(operator)) {
      return valueTest(operator, inner, at);
    }
  }
  throw new UnsupportedEventPatternError(`${at}: unsupported anything-but operand`);
}

const COMPARATORS: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '=': (a, b) => a === b,
  '>=': (a, b) => a >= b,
  '>': (a, b) => a > b,
};

function numericTest(operand: unknown, at: string): ValueTest {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
    throw new UnsupportedEventPatternError(`${at}: numeric takes [op, number] or [op, number, op, number]`);
  }
  const checks: Array<(n: number) => boolean> = [];
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i];
    const bound = operand[i + 1];
    const compare = typeof op === 'string' ? COMPARATORS[op] : undefined;
    if (!compare || typeof bound !== 'number') {
      throw new UnsupportedEventPatternError(`${at}: invalid numeric comparison ${JSON.stringify([op, bound])}`);
    }
    checks.push((n) => compare(n, bound));
  }
  // Numeric matching only applies to JSON numbers.
  return (v) => typeof v === 'number' && checks.every((check) => check(v));
}

/** `*` matches any run of characters (including none); `\*` is a literal `*` and `\\` a literal `\`. */
function wildcardRegExp(wildcard: string): RegExp {
  let source = '';
  for (let i = 0; i < wildcard.length; i++) {
    const c = wildcard.charAt(i);
    const next = wildcard.charAt(i + 1);
    if (c === '\\' && (next === '*' || next === '\\')) {
      source += `\\${next}`;
      i++;
    } else if (c === '*') {
      source += '.*';
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
}
