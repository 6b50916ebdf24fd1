/**
 * The JSON document a workflow receives with its answer (Step Functions task output or failure cause, Lambda durable
 * callback Result or ErrorData): the same fields for every source that passes data back, so one parser fits both.
 */
import type { RefusalRequest, ResumeRequest } from '../app/sourcePorts';
import type { Outcome } from '../domain/approval';
import { prefix } from '../domain/clip';

/** The error names a workflow's Catch (Step Functions) or error handler (Lambda) can match on. */
export const REJECTED_ERROR = 'Greenlight.Rejected';
export const EXPIRED_ERROR = 'Greenlight.Expired';

/** The failure's error name for a negative outcome: expired or rejected. */
export function failureErrorName(outcome: Outcome): string {
  return outcome === 'expired' ? EXPIRED_ERROR : REJECTED_ERROR;
}

export interface DecisionDocument {
  approvalId: string;
  outcome: Outcome;
  decidedBy: string[];
  channel: string;
  comment?: string;
  /** Present (true) only when the comment had to be shortened to fit the field's limit. */
  commentTruncated?: true;
  decidedAt: string;
}

/**
 * The decision as JSON, with the comment shortened (by whole characters, ending in `…`) as little as needed for
 * `fits` to accept the document.
 */
export function decisionDocument(request: ResumeRequest, fits: (json: string) => boolean): string {
  const render = (comment: string | undefined, truncated: boolean): string => {
    const document: DecisionDocument = {
      approvalId: request.approval.id,
      outcome: request.outcome,
      decidedBy: request.decidedBy,
      channel: request.channel,
      ...(comment ? { comment } : {}),
      ...(truncated ? { commentTruncated: true as const } : {}),
      decidedAt: request.decidedAt,
    };
    return JSON.stringify(document);
  };
  const comment = request.comment;
  const full = render(comment, false);
  if (!comment || fits(full)) return full;
  return render(
    `${prefix(
      comment,
      longestFitting(comment, (length) => fits(render(`${prefix(comment, length)}…`, true))),
    )}…`,
    true,
  );
}

/**
 * What a refused wait receives: `{approvalId, outcome: "refused", error, reason}`, the reason shortened after encoding
 * (escaped characters count as sent) until `fits` accepts it.
 */
export function refusalDocument(request: RefusalRequest, fits: (json: string) => boolean): string {
  const document = (reason: string) =>
    JSON.stringify({ approvalId: request.approvalId, outcome: 'refused', error: request.error, reason });
  if (fits(document(request.reason))) return document(request.reason);
  const length = longestFitting(request.reason, (candidate) => fits(document(`${prefix(request.reason, candidate)}…`)));
  return document(`${prefix(request.reason, length)}…`);
}

/** The longest prefix length of `text` that `fits`: the JSON grows with the prefix, so a binary search finds it. */
function longestFitting(text: string, fits: (length: number) => boolean): number {
  let low = 0;
  let high = text.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}
