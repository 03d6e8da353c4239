// Lift-test calibration of the Bayesian MMM on the confounded simulation (issue 6): "the calibrated posterior
// covers the true ROAS where the uncalibrated one does not; both are reported". Reference: the simulator's
// truth (data/sim_confounded, simulationPresets.confounded), whose search spend is driven by a latent demand
// shock the model cannot see. Intervals are the book's 94 % central intervals (ArviZ's default probability).
// Also: the lift `predictedLift` computes from a posterior (through channelContribution) agrees with the
// one fitMMM puts in its likelihood (its own code path), draw by draw.
import { describe, expect, it } from 'vitest';
import { simulateMMM, simulationPresets } from '../../src/mmm/simulate';
import { fitMMM } from '../../src/mmm/bayes/index';
import { returnsOnSpend } from '../../src/mmm/response/index';
import { intervalCoverage, predictedLift, simulateLiftTest, trueLift } from '../../src/mmm/calibration/index';

const { columns, truth } = simulateMMM(simulationPresets.confounded);
const spec = { date: 'date', target: 'sales', channels: ['tv', 'search', 'social'], controls: ['price', 'competitor'] };
// Three eight-week tests on search, +10 per week, standard error 10 (as in chapter 21).
const designs = [20, 60, 100].map((first) => ({ channel: 'search', start: truth.dates[first], end: truth.dates[first + 7], spendChange: 10 }));
const tests = designs.map((design, k) => simulateLiftTest(truth, { ...design, noise: 10, seed: `search ${k}` }));
const settings = { seed: 1, chains: 2, warmup: 300, draws: 300 };
const level = 0.94;

describe('lift-test calibration on sim_confounded', () => {
  it('the calibrated posterior of search ROAS covers the truth; the uncalibrated one does not', () => {
    const uncalibrated = fitMMM(columns, spec, settings);
    const calibrated = fitMMM(columns, spec, { ...settings, liftTests: tests });
    const rows: Record<string, unknown>[] = [];
    const summary: Record<string, Record<string, ReturnType<typeof intervalCoverage>>> = {};
    for (const [model, fit] of [['uncalibrated', uncalibrated], ['calibrated', calibrated]] as const) {
      summary[model] = {};
      for (const c of returnsOnSpend(fit).channels) {
        const s = intervalCoverage(c.draws.roas, truth.channels[c.channel].roas, { level });
        summary[model][c.channel] = s;
        rows.push({ model, channel: c.channel, mean: s.mean.toFixed(3), lower: s.lower.toFixed(3), upper: s.upper.toFixed(3), truth: s.truth.toFixed(3), covers: s.covers });
      }
    }
    // Both are reported.
    console.table(rows);
    const lifts = designs.map((d, k) => ({ test: k, measured: tests[k].lift, truth: trueLift(truth, d), calibrated: mean(predictedLift(calibrated, d)), uncalibrated: mean(predictedLift(uncalibrated, d)) }));
    console.table(lifts);

    expect(summary.uncalibrated.search.covers).toBe(false);
    expect(summary.uncalibrated.search.lower).toBeGreaterThan(summary.uncalibrated.search.truth);
    expect(summary.calibrated.search.covers).toBe(true);

    // The calibrated model predicts each test's lift within 3 of its standard errors.
    for (const l of lifts) expect(Math.abs(l.calibrated - l.measured)).toBeLessThan(3 * tests[l.test].standardError);

    // predictedLift (calibration, via channelContribution) = fitMMM's likelihood term (bayes/model), per draw.
    const inModel = calibrated.predictedLifts();
    designs.forEach((d, k) => {
      const ours = predictedLift(calibrated, d);
      ours.forEach((v, i) => {
        const theirs = inModel.length === ours.length ? inModel[i][k] : inModel[k][i];
        expect(Math.abs(v - theirs)).toBeLessThan(1e-9 * Math.max(1, Math.abs(v)));
      });
    });
  }, 900_000);
});

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}
