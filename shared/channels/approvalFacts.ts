/** How every surface (review page, Slack, e-mail) names an approval's facts, so they read the same everywhere. */
import type { SourceKind } from '../domain/approval';

const SOURCE_LABELS: Record<SourceKind, string> = {
  stepfunctions: 'AWS Step Functions',
  imagebuilder: 'EC2 Image Builder',
  ssm: 'Systems Manager Automation',
};

/** "AWS Step Functions", … (the raw kind when unknown). */
export function sourceLabel(source: SourceKind): string {
  return SOURCE_LABELS[source] ?? source;
}

/** "2026-01-01 10:00 UTC" (the raw text when it is not a date). */
export function formatUtc(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
