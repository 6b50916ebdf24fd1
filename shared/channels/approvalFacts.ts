/**
 * How every surface (review page, Slack, e-mail) names an approval's facts and shapes their text, so they read the
 * same everywhere.
 */
/** "2026-01-01 10:00 UTC" (the raw text when it is not a date). */
export function formatUtc(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Line breaks and runs of white space become one space. */
export function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** `1 approval`, `2 approvals`. */
export function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/**
 * How many distinct people approved so far: the person each vote resolved to when it was cast (one person's e-mail
 * and Slack identity count once), or its identity for votes recorded before votes carried the person.
 */
export function approvalsSoFar(votes: ReadonlyArray<{ decision: string; approver: string; person?: string }>): number {
  return new Set(votes.filter((vote) => vote.decision === 'approve').map((vote) => vote.person ?? vote.approver)).size;
}
