// Lift tests (geo or conversion-lift experiments) as data for the Bayesian MMM. An experiment changed a
// channel's weekly spend by Δ over a period and measured the incremental target over that period with a
// standard error. The model predicts that increment from the channel's adstock and saturation under the
// current parameters, so the experiment enters the likelihood as
//   lift ~ Normal(targetScale · Σ_{t∈P} β [s(adstock(x + Δ·1_P))_t − s(adstock(x))_t], standardError)
// (PyMC-Marketing's `add_lift_test_measurements` does the same with the saturation curve alone). The
// `LiftTest` record and its window rule (start and end are weeks of the data) are the calibration
// module's. Taught in chapter 13, "The Bayesian MMM", and in "Calibrating with experiments".
import { InvalidInputError } from '../../errors';
import { liftTestWeeks, type LiftTest } from '../calibration/liftTest';
import type { PreparedMMM } from '../spec';

/** A lift test located in the data: channel index, week range, and the spend change on the model's scale. */
export interface PreparedLiftTest {
  test: LiftTest;
  channel: number;
  first: number;
  last: number;
  /** Δ / spendScale. */
  delta: number;
}

/** Validates lift tests against the data and locates their weeks (chapter 13). Errors name the test and field. */
export function prepareLiftTests(tests: readonly LiftTest[] | undefined, prepared: PreparedMMM): PreparedLiftTest[] {
  if (tests === undefined) return [];
  if (!Array.isArray(tests)) throw new InvalidInputError('liftTests', 'expected an array of { channel, start, end, spendChange, lift, standardError }');
  return tests.map((test, k) => {
    const at = (field: string) => `liftTests[${k}].${field}`;
    if (!test || typeof test !== 'object') throw new InvalidInputError(`liftTests[${k}]`, 'expected an object');
    const channel = prepared.channels.indexOf(test.channel);
    if (channel < 0) throw new InvalidInputError(at('channel'), `'${test.channel}' is not a channel of the spec (${prepared.channels.join(', ')})`);
    for (const field of ['spendChange', 'lift', 'standardError'] as const) {
      if (typeof test[field] !== 'number' || !Number.isFinite(test[field])) throw new InvalidInputError(at(field), `expected a finite number, got ${String(test[field])}`);
    }
    if (!(test.standardError > 0)) throw new InvalidInputError(at('standardError'), `expected a positive standard error, got ${test.standardError}`);
    if (test.spendChange === 0) throw new InvalidInputError(at('spendChange'), 'a spend change of 0 measures nothing');
    const dates = prepared.dates;
    let window: { first: number; last: number };
    try {
      window = liftTestWeeks(dates, test);
    } catch (error) {
      if (error instanceof InvalidInputError) throw new InvalidInputError(at(error.input), error.message.slice(error.input.length + 2));
      throw error;
    }
    const { first, last } = window;
    const spend = prepared.spend[test.channel];
    for (let t = first; t <= last; t++) {
      if (spend[t] + test.spendChange < 0) {
        throw new InvalidInputError(at('spendChange'), `week ${dates[t]}: spend ${spend[t]} + change ${test.spendChange} would be negative`);
      }
    }
    return { test, channel, first, last, delta: test.spendChange / prepared.spendScale[test.channel] };
  });
}
