// Interval summaries across draws shared by contributions, returns and curves (chapter 14).
import { highestDensityInterval } from '../../stats/summaries';

/** Mean, median and highest-density interval of a sample of draws (a single draw: all three equal it). */
export interface DrawSummary {
  mean: number;
  median: number;
  lower: number;
  upper: number;
}

export function summarizeDraws(values: ArrayLike<number>, prob: number): DrawSummary {
  const n = values.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += values[i];
  m /= n;
  const sorted = Float64Array.from(values).sort();
  const median = n % 2 ? sorted[(n - 1) / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  if (n < 2 || Math.floor(prob * n) < 1) return { mean: m, median, lower: m, upper: m };
  const { lower, upper } = highestDensityInterval(values, prob);
  return { mean: m, median, lower, upper };
}
