/** One benchmark figure. `floor` is a baseline measured in the same run; `ratio` = value / floor. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  floor?: number;
  ratio?: number;
  /** Optional target, e.g. "<= 3x floor", printed for the reader. */
  target?: string;
}

/** Median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

/** p-th percentile (0–100) of a list of numbers, nearest-rank. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
}
