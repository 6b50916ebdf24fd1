/**
 * How a resumer sends its one AWS answer call and classifies a failure. Every source follows the same rules:
 * "nothing waits any more" (terminal), "try again later" (throttling, 5xx, network) or rethrow (a bug). The rules
 * live here once so they cannot drift apart; each source passes in only its own names (AwsFailureRules).
 */
import { SourceUnavailableError } from '../app/errors';
import type { ResumeResult } from '../app/sourcePorts';
import type { SourceReference } from '../domain/sourceKind';

interface AwsErrorShape {
  name?: string;
  code?: string;
  $fault?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** What one source contributes: how it names itself and its reference, and its own error names. */
export interface AwsFailureRules<Ref extends SourceReference> {
  source: Ref['kind'];
  /** E.g. `Step Functions`, as it appears in a SourceUnavailableError's message. */
  service: string;
  /** E.g. `a Step Functions`, for the error when an approval of another source is routed here. */
  referenceName: string;
  /** Error name → why nothing waits for the answer any more. */
  notWaitingReasons: Readonly<Record<string, string>>;
  /** Error names that mean "try again later", on top of the status, `$retryable`, `$fault` and network codes. */
  unavailableNames: ReadonlySet<string>;
  /** Removes a secret the error may echo (a task token, a callback id) before it is thrown; default: none. */
  redact?: (error: unknown, ref: Ref) => unknown;
}

/** The unavailable names every source shares (throttling and timeouts the SDK itself retries); a source adds its own. */
export function unavailableNames(...sourceNames: string[]): ReadonlySet<string> {
  return new Set([
    'ThrottlingException',
    'TooManyRequestsException',
    'InternalFailure',
    'TimeoutError',
    'RequestTimeout',
    'RequestTimeoutException',
    ...sourceNames,
  ]);
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Sends one answer with `send` and turns a failure into the resumer's result: not-waiting when the error's name says
 * so; otherwise it throws a SourceUnavailableError (the resume is finished later) or, for anything else, the error.
 */
export async function answerAndClassify<Ref extends SourceReference>(
  approval: { id: string; sourceRef: SourceReference },
  rules: AwsFailureRules<Ref>,
  send: (ref: Ref) => Promise<unknown>,
): Promise<ResumeResult> {
  const ref = approval.sourceRef;
  if (ref.kind !== rules.source) {
    throw new Error(`Approval ${approval.id} has a ${ref.kind} source reference, not ${rules.referenceName} one`);
  }
  // The kind is the source's own: the reference is the shape its capture stored.
  const sourceRef = ref as Ref;
  try {
    await send(sourceRef);
    return { kind: 'resumed' };
  } catch (error) {
    const name = errorName(error);
    const reason = name === undefined ? undefined : rules.notWaitingReasons[name];
    if (reason !== undefined) {
      // The SDK retried (a lost reply, a dropped connection): its earlier attempt may have taken effect.
      const attempts = (error as AwsErrorShape).$metadata?.attempts ?? 1;
      return { kind: 'not-waiting', reason, ...(attempts > 1 ? { afterRetry: true } : {}) };
    }
    const safe = rules.redact ? rules.redact(error, sourceRef) : error;
    if (isSourceUnavailable(error, rules.unavailableNames)) {
      throw new SourceUnavailableError(
        rules.source,
        `${rules.service} did not take the answer for approval ${approval.id} (${describeFailure(error)}); the resume is to be finished later`,
        { cause: safe },
      );
    }
    throw safe;
  }
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** Throttling, 5xx and network failures (what the SDK itself retries), plus the source's own `names`. */
function isSourceUnavailable(error: unknown, names: ReadonlySet<string>): boolean {
  if (!(error instanceof Error)) return false;
  const shape = error as Error & AwsErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  return (
    shape.$retryable !== undefined ||
    shape.$fault === 'server' ||
    (status !== undefined && (status === 429 || status >= 500)) ||
    names.has(shape.name) ||
    (shape.code !== undefined && NETWORK_CODES.has(shape.code))
  );
}

/** `ThrottlingException, HTTP 429, 3 attempts` — names and numbers only, never the message (it may echo secrets). */
function describeFailure(error: unknown): string {
  const shape = error as AwsErrorShape;
  const name = shape.name === 'Error' && shape.code ? shape.code : (shape.name ?? 'unknown error');
  const status = shape.$metadata?.httpStatusCode;
  const attempts = shape.$metadata?.attempts;
  return [name, status ? `HTTP ${status}` : '', attempts ? `${attempts} attempts` : ''].filter(Boolean).join(', ');
}

/**
 * Replaces a secret (a task token, a callback id) in an error's message and stack, and its causes', by `placeholder`:
 * AWS validation messages may echo input values.
 */
export function withoutSecret(error: unknown, secret: string, placeholder: string): unknown {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (current.message.includes(secret)) current.message = current.message.replaceAll(secret, placeholder);
    if (current.stack?.includes(secret)) current.stack = current.stack.replaceAll(secret, placeholder);
    current = current.cause;
  }
  return error;
}
