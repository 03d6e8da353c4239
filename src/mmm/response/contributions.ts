// Contributions of a fitted MMM (chapter 14): what each channel and the baseline added to the target,
// week by week and in total, with intervals across draws; and the data of the decomposition and waterfall
// charts. contribution_{c,t} = T · β_c · sat(adstock(spend_c / S_c))_t under each draw.
import { InvalidInputError } from '../../errors';
import { channelContribution, type FittedMMM } from '../fitted';
import { summarizeDraws, type DrawSummary } from './summaries';

export interface ComponentContribution {
  /** Weekly mean across draws. */
  mean: Float64Array;
  /** Weekly highest-density interval bounds. */
  lower: Float64Array;
  upper: Float64Array;
  /** Sum over the weeks. */
  total: DrawSummary;
  /** Share of the summed fitted mean (baseline plus channels), per draw summarized. */
  share: DrawSummary;
  /** The component's total under each draw. */
  totalDraws: Float64Array;
}

export interface ContributionDecomposition {
  dates: string[];
  channels: string[];
  byChannel: Record<string, ComponentContribution>;
  baseline: ComponentContribution;
  /** Weekly mean of baseline + channels across draws (the model's fit of the target). */
  fitted: Float64Array;
  prob: number;
  drawCount: number;
}

function checkProb(prob: number): void {
  if (!(prob > 0 && prob < 1)) throw new InvalidInputError('prob', `expected a probability in (0, 1), got ${prob}`);
}

/**
 * Each channel's and the baseline's weekly contribution with intervals across draws, totals and shares.
 * Chapter: "Reading the model".
 */
export function contributions(fitted: FittedMMM, options: { prob?: number } = {}): ContributionDecomposition {
  const prob = options.prob ?? 0.94;
  checkProb(prob);
  const T = fitted.dates.length;
  const D = fitted.drawCount;
  if (!(Number.isInteger(D) && D >= 1)) throw new InvalidInputError('fitted.drawCount', `expected a positive integer, got ${D}`);
  const names = [...fitted.channels];
  const weekly: Record<string, Float64Array[]> = {};
  for (const c of names) weekly[c] = Array.from({ length: D }, (_, d) => channelContribution(fitted.curve(c, d), fitted.spend[c]));
  const base = Array.from({ length: D }, (_, d) => {
    const b = fitted.baseline(d);
    if (b.length !== T) throw new InvalidInputError('fitted.baseline', `draw ${d}: expected ${T} weeks, got ${b.length}`);
    return b;
  });
  const grand = new Float64Array(D);
  const totalsOf = (series: Float64Array[]) =>
    Float64Array.from(series, (s) => {
      let t = 0;
      for (let i = 0; i < T; i++) t += s[i];
      return t;
    });
  const channelTotals = Object.fromEntries(names.map((c) => [c, totalsOf(weekly[c])]));
  const baseTotals = totalsOf(base);
  for (let d = 0; d < D; d++) {
    grand[d] = baseTotals[d];
    for (const c of names) grand[d] += channelTotals[c][d];
  }
  const component = (series: Float64Array[], totals: Float64Array): ComponentContribution => {
    const mean = new Float64Array(T);
    const lower = new Float64Array(T);
    const upper = new Float64Array(T);
    const column = new Float64Array(D);
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) column[d] = series[d][t];
      const s = summarizeDraws(column, prob);
      mean[t] = s.mean;
      lower[t] = s.lower;
      upper[t] = s.upper;
    }
    const shares = Float64Array.from(totals, (v, d) => v / grand[d]);
    return { mean, lower, upper, total: summarizeDraws(totals, prob), share: summarizeDraws(shares, prob), totalDraws: totals };
  };
  const byChannel: Record<string, ComponentContribution> = {};
  for (const c of names) byChannel[c] = component(weekly[c], channelTotals[c]);
  const baseline = component(base, baseTotals);
  const fittedMean = Float64Array.from(baseline.mean);
  for (const c of names) for (let t = 0; t < T; t++) fittedMean[t] += byChannel[c].mean[t];
  return { dates: [...fitted.dates], channels: names, byChannel, baseline, fitted: fittedMean, prob, drawCount: D };
}

/** Long-format rows { date, component, value } of the mean weekly decomposition, for a stacked area chart (chapter 14). */
export function decompositionRows(summary: ContributionDecomposition): { date: string; component: string; value: number }[] {
  const rows: { date: string; component: string; value: number }[] = [];
  summary.dates.forEach((date, t) => {
    rows.push({ date, component: 'baseline', value: summary.baseline.mean[t] });
    for (const c of summary.channels) rows.push({ date, component: c, value: summary.byChannel[c].mean[t] });
  });
  return rows;
}

/**
 * Waterfall rows: the baseline first, then channels by decreasing mean total, each bar from the running
 * sum before it (`start`) to after it (`end`), with its interval (chapter 14).
 */
export function waterfallRows(summary: ContributionDecomposition): { component: string; start: number; end: number; value: number; lower: number; upper: number }[] {
  const order = summary.channels.slice().sort((a, b) => summary.byChannel[b].total.mean - summary.byChannel[a].total.mean);
  let running = 0;
  const rows = [];
  for (const name of ['baseline', ...order]) {
    const part = name === 'baseline' ? summary.baseline : summary.byChannel[name];
    rows.push({ component: name, start: running, end: running + part.total.mean, value: part.total.mean, lower: part.total.lower, upper: part.total.upper });
    running += part.total.mean;
  }
  return rows;
}
