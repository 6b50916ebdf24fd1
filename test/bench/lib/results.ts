/** What each part of the benchmark reports: table rows (figure beside a baseline from the same run) and details. */

export interface Row {
  figure: string;
  unit: string;
  value: number;
  baseline: number;
  /** What the baseline is, in a few words. */
  baselineIs: string;
  /** value ÷ baseline when lower is better, baseline ÷ value when higher is better: above 1 is always worse. */
  ratio: number;
  goal: string;
  /** Whether the goal holds; null when the figure has no goal (information only). */
  holds: boolean | null;
}

export interface PartResult {
  part: string;
  seconds: number;
  rows: Row[];
  notes: string[];
  details: Record<string, unknown>;
}

export function costRatio(value: number, baseline: number, better: 'lower' | 'higher' = 'lower'): number {
  if (better === 'higher') return value === 0 ? Number.POSITIVE_INFINITY : baseline / value;
  if (baseline === 0) return value === 0 ? 1 : Number.POSITIVE_INFINITY;
  return value / baseline;
}

/** A row whose goal is "ratio ≤ maxRatio". */
export function ratioRow(
  figure: string,
  unit: string,
  value: number,
  baseline: number,
  baselineIs: string,
  maxRatio: number | null,
  better: 'lower' | 'higher' = 'lower',
): Row {
  const ratio = costRatio(value, baseline, better);
  return {
    figure,
    unit,
    value,
    baseline,
    baselineIs,
    ratio,
    goal: maxRatio === null ? '—' : `ratio ≤ ${maxRatio}`,
    holds: maxRatio === null ? null : ratio <= maxRatio,
  };
}
