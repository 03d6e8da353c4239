/**
 * Lift tests as the Bayesian MMM reads them, and lift tests simulated from a simulation's truth.
 *
 * A lift test changes one channel's weekly spend by `spendChange` during the weeks `start` to `end`
 * (inclusive) and measures the extra sales over those same weeks, with a standard error. Under a model
 * whose weekly contribution for channel c is f_c(spend)_t (adstock, then saturation, then a coefficient),
 * the lift it predicts is
 *
 *   lift = sum_{t = start..end} [ f_c(spend + spendChange * 1_window)_t - f_c(spend)_t ],
 *
 * the quantity the Bayesian MMM's likelihood compares with a measured lift (lift ~ Normal(predicted,
 * standardError)). Sales that the change causes after `end` (carryover past the window) are not in it:
 * a test reports what it observed while it ran. Taught in the chapter "Calibrating with experiments".
 */
import { InvalidInputError } from '../../errors';
import { createRng, type Rng } from '../../random/generator';
import { standardNormal } from '../../random/variates';
import { Normal } from '../../stats/distributions/normal';
import { channelContribution, type ChannelCurve, type FittedMMM } from '../fitted';
import { fittedFromTruth } from '../response/truth';
import type { SimulationTruth } from '../simulate';

/** A lift test's result, the form `fitMMM`'s `liftTests` option takes (chapter 21). */
export interface LiftTest {
  /** The channel whose spend was changed. */
  readonly channel: string;
  /** ISO date of the first week of the test (a week of the data). */
  readonly start: string;
  /** ISO date of the last week of the test, inclusive. */
  readonly end: string;
  /** Change in weekly spend during the test, in spend units, added to every week of the window (negative for a hold-out that cuts spend). */
  readonly spendChange: number;
  /** Measured extra sales over the weeks of the test, in the target's units. */
  readonly lift: number;
  /** Standard error of the measured lift, in the target's units. */
  readonly standardError: number;
}

/** What a lift test changes: channel, window and spend change (a `LiftTest` without its measurement). */
export type LiftTestDesign = Pick<LiftTest, 'channel' | 'start' | 'end' | 'spendChange'>;

export interface SimulateLiftTestOptions extends LiftTestDesign {
  /** Standard error of the measurement, in the target's units: the measured lift is the true lift plus Normal(0, noise) error. */
  noise: number;
  /** Seed (or generator) of the measurement error. */
  seed: number | string | Rng;
}

/** The window [first, last] as indices into `dates`, checking that both ends are weeks of the data. */
export function liftTestWeeks(dates: readonly string[], design: Pick<LiftTestDesign, 'start' | 'end'>): { first: number; last: number } {
  const first = dates.indexOf(design.start);
  const last = dates.indexOf(design.end);
  if (first < 0) throw new InvalidInputError('start', `'${design.start}' is not a week of the data (${dates[0]} to ${dates[dates.length - 1]})`);
  if (last < 0) throw new InvalidInputError('end', `'${design.end}' is not a week of the data (${dates[0]} to ${dates[dates.length - 1]})`);
  if (last < first) throw new InvalidInputError('end', `'${design.end}' is before start '${design.start}'`);
  return { first, last };
}

/** The spend a test runs: `spend` with `spendChange` added in the window; errors if any week would go negative. */
function testedSpend(spend: ArrayLike<number>, first: number, last: number, spendChange: number): Float64Array {
  if (typeof spendChange !== 'number' || !Number.isFinite(spendChange)) {
    throw new InvalidInputError('spendChange', `expected a finite change in weekly spend, got ${spendChange}`);
  }
  const out = Float64Array.from(spend as ArrayLike<number>);
  for (let t = first; t <= last; t++) {
    out[t] += spendChange;
    if (out[t] < 0) {
      throw new InvalidInputError('spendChange', `week ${t} would have spend ${out[t]} (spend ${spend[t]} changed by ${spendChange}); spend cannot be negative`);
    }
  }
  return out;
}

/** The lift one channel curve predicts for a test on `spend`: extra contribution summed over the test's weeks. */
export function liftUnderCurve(curve: ChannelCurve, spend: ArrayLike<number>, window: { first: number; last: number }, spendChange: number): number {
  const changed = testedSpend(spend, window.first, window.last, spendChange);
  const before = channelContribution(curve, spend);
  const after = channelContribution(curve, changed);
  let lift = 0;
  for (let t = window.first; t <= window.last; t++) lift += after[t] - before[t];
  return lift;
}

/**
 * The lift a fitted MMM predicts for a test, one value per draw (one for a point fit or a truth). Taught
 * in the chapter "Calibrating with experiments".
 */
export function predictedLift(fitted: FittedMMM, design: LiftTestDesign): Float64Array {
  if (!fitted.channels.includes(design.channel)) {
    throw new InvalidInputError('channel', `'${design.channel}' is not a channel of the model (${fitted.channels.join(', ')})`);
  }
  const window = liftTestWeeks(fitted.dates, design);
  const spend = fitted.spend[design.channel];
  const out = new Float64Array(fitted.drawCount);
  for (let d = 0; d < fitted.drawCount; d++) out[d] = liftUnderCurve(fitted.curve(design.channel, d), spend, window, design.spendChange);
  return out;
}

/** The true lift of a test in a simulated world: `predictedLift` under the truth (`fittedFromTruth`). Chapter: "Calibrating with experiments". */
export function trueLift(truth: SimulationTruth, design: LiftTestDesign): number {
  if (!(design.channel in truth.channels)) {
    throw new InvalidInputError('channel', `'${design.channel}' is not a channel of the simulation (${Object.keys(truth.channels).join(', ')})`);
  }
  return predictedLift(fittedFromTruth(truth), design)[0];
}

/**
 * A lift test run in a simulated world: the true lift of the design plus a Normal measurement error of
 * standard deviation `noise`, reported with `standardError = noise` (an honest experiment knows its own
 * precision). The same seed gives the same measurement. Taught in the chapter "Calibrating with experiments".
 *
 * @example
 * const test = simulateLiftTest(truth, { channel: 'search', start: '2022-03-07', end: '2022-04-25', spendChange: 10, noise: 40, seed: 1 });
 */
export function simulateLiftTest(truth: SimulationTruth, options: SimulateLiftTestOptions): LiftTest {
  const noise = options.noise;
  if (typeof noise !== 'number' || !Number.isFinite(noise) || !(noise > 0)) {
    throw new InvalidInputError('noise', `expected the measurement's standard error, a positive finite number, got ${noise}`);
  }
  if (options.seed === undefined) throw new InvalidInputError('seed', 'pass a seed or an rng: a simulated measurement must be reproducible');
  const lift = trueLift(truth, options);
  const rng = typeof options.seed === 'object' ? options.seed : createRng(`lift-test:${String(options.seed)}`);
  return {
    channel: options.channel,
    start: options.start,
    end: options.end,
    spendChange: options.spendChange,
    lift: lift + noise * standardNormal(rng),
    standardError: noise,
  };
}

/**
 * The smallest true lift a test with this standard error detects with probability `power` in a two-sided
 * z-test at `level`: (z_{1-(1-level)/2} + z_power) * standardError, the textbook sample-size relation
 * (e.g. Cohen 1988, ch. 12). Use it to design a test before buying it. Chapter: "Calibrating with experiments".
 */
export function minimumDetectableLift(standardError: number, options: { level?: number; power?: number } = {}): number {
  const level = options.level ?? 0.95;
  const power = options.power ?? 0.8;
  if (!(standardError > 0) || !Number.isFinite(standardError)) throw new InvalidInputError('standardError', `expected a positive finite number, got ${standardError}`);
  if (!(level > 0 && level < 1)) throw new InvalidInputError('level', `expected a level in (0, 1), got ${level}`);
  if (!(power > 0 && power < 1)) throw new InvalidInputError('power', `expected a power in (0, 1), got ${power}`);
  const z = Normal(0, 1);
  return (z.quantile(1 - (1 - level) / 2) + z.quantile(power)) * standardError;
}
