/**
 * Does a posterior cover the truth? In a simulation the truth is known, so a credible interval can be
 * checked against it: once (does this interval contain the true ROAS?) and over many simulated worlds (how
 * often do 90 % intervals contain the truth? about 90 % if the model and its priors are right). ROAS draws
 * come from `returnsOnSpend` (src/mmm/response), the truth's from `fittedFromTruth`.
 * Taught in the chapter "Calibrating with experiments".
 */
import { InvalidInputError } from '../../errors';
import { mean as sampleMean, quantiles, sd as sampleSd } from '../../stats/summaries';

/** A posterior summary of one quantity, set beside its true value. */
export interface IntervalCoverage {
  /** Posterior mean and standard deviation. */
  mean: number;
  sd: number;
  /** Equal-tailed credible interval at `level` (type-7 quantiles (1 - level)/2 and (1 + level)/2). */
  lower: number;
  upper: number;
  level: number;
  truth: number;
  /** Whether lower <= truth <= upper. */
  covers: boolean;
  /** (mean - truth) / sd: how many posterior standard deviations the posterior mean is off. */
  standardizedError: number;
}

/** Summarizes draws of a quantity against its true value (chapter 21). */
export function intervalCoverage(draws: ArrayLike<number>, truth: number, options: { level?: number } = {}): IntervalCoverage {
  const level = options.level ?? 0.9;
  if (!(level > 0 && level < 1)) throw new InvalidInputError('level', `expected a level in (0, 1), got ${level}`);
  if (typeof truth !== 'number' || !Number.isFinite(truth)) throw new InvalidInputError('truth', `expected a finite number, got ${truth}`);
  if (draws.length < 2) throw new InvalidInputError('draws', `an interval needs at least two draws, got ${draws.length}`);
  for (let i = 0; i < draws.length; i++) {
    if (!Number.isFinite(draws[i])) throw new InvalidInputError('draws', `draw ${i} is ${draws[i]}; expected a finite number`);
  }
  const [lower, upper] = quantiles(draws, [(1 - level) / 2, (1 + level) / 2]);
  const mean = sampleMean(draws);
  const sd = sampleSd(draws);
  return {
    mean,
    sd,
    lower,
    upper,
    level,
    truth,
    covers: lower <= truth && truth <= upper,
    standardizedError: sd > 0 ? (mean - truth) / sd : mean === truth ? 0 : Infinity * Math.sign(mean - truth),
  };
}

/** How often a set of intervals covers its truths, with the binomial standard error of that rate (chapter 21). */
export function coverageRate(intervals: readonly Pick<IntervalCoverage, 'covers'>[]): { rate: number; standardError: number; count: number } {
  if (intervals.length === 0) throw new InvalidInputError('intervals', 'is empty: there is no coverage to measure');
  const count = intervals.length;
  const rate = intervals.filter((i) => i.covers).length / count;
  return { rate, standardError: Math.sqrt((rate * (1 - rate)) / count), count };
}
