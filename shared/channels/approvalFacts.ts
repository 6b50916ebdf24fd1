/**
 * How every surface (review page, Slack, e-mail) names an approval's facts and shapes their text, so they read the
 * same everywhere.
 */
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

/** Plain text cut to at most `max` characters with a closing `…` (never inside a surrogate pair). */
export function clipText(value: string, max: number): string {
  if (value.length <= max) return value;
  let clipped = '';
  for (const character of value) {
    if (clipped.length + character.length > max - 1) break;
    clipped += character;
  }
  return `${clipped}…`;
}

/** Line breaks and runs of white space become one space. */
export function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
