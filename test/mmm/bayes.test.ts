// fitMMM against Stan, the truth, lift tests, bad input and its seed.
// References: (1) Stan's posterior for the same model and data (test/fixtures/stan_mmm_example: rstan 2.21,
// 4 × 1000 draws, made by make_fixture.R); (2) the true ROAS of data/mmm_example.csv (its truth JSON);
// (3) a simulation with known truth (simulateMMM) and a lift test simulated from it (calibration module).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv';
import { InvalidInputError } from '../../src/errors';
import { Normal } from '../../src/stats/distributions/normal';
import { predictedLift, simulateLiftTest, trueLift } from '../../src/mmm/calibration/liftTest';
import { simulateMMM } from '../../src/mmm/simulate';
import type { MMMSpec } from '../../src/mmm/spec';
import { channelContribution } from '../../src/mmm/fitted';
import { fitMMM, identificationReport, mmmPriorPredictive } from '../../src/mmm/bayes/index';
import { expectMeansMatchStan, expectQuantilesMatchStan, readStanPosterior, stanNames } from './stanReference';

const columns = parseCsv(readFileSync(resolve(__dirname, '../../data/mmm_example.csv'), 'utf8')).columns;
const truth = JSON.parse(readFileSync(resolve(__dirname, '../../data/mmm_example.truth.json'), 'utf8'));
const stan = readStanPosterior('stan_mmm_example');
// The Stan peer's model: no trend; t/max(t) enters as a control.
const spec: MMMSpec = { date: 'date_week', target: 'y', channels: ['x1', 'x2'], controls: ['event_1', 'event_2', 't'], trend: false };

describe('fitMMM on mmm_example against Stan', () => {
  // Fewer draws than the bench (4 × 1000): 4 × 250 after 250 warm-up keeps the test quick; the tolerance
  // is set by the Monte Carlo error of both runs.
  const fit = fitMMM(columns, spec, { seed: 2026, chains: 4, warmup: 250, draws: 250 });

  it('has posterior means within Monte Carlo error of Stan (4 combined MCSEs)', () => {
    // Every parameter but the four Fourier coefficients (see stanNames).
    expectMeansMatchStan(fit.samples, stan, stanNames(['alpha']));
  });

  it('has posterior quantiles (5%, 50%, 95%) within Monte Carlo error of Stan', () => {
    expectQuantilesMatchStan(fit.samples, stan, stanNames(['alpha']));
  });

  it('covers the true ROAS with its 94% HDI, in original units', () => {
    const rows = fit.summary(['roas[x1]', 'roas[x2]']);
    const trueRoas = [truth.true_totals.roas_x1, truth.true_totals.roas_x2];
    rows.forEach((row, c) => {
      expect(row['hdi_3%']).toBeLessThan(trueRoas[c]);
      expect(row['hdi_97%']).toBeGreaterThan(trueRoas[c]);
    });
  });

  it('reports no divergences, saturated trees or low E-BFMI, and chains that agree', () => {
    // At 4 × 250 draws the slowly mixing pair (beta[x2], lam[x2]) can still show R-hat just above 1.01 and
    // ESS below 100 per chain (precision warnings); validity warnings must be absent.
    expect(fit.warnings.filter((w) => /divergent|tree depth|E-BFMI/.test(w))).toEqual([]);
    for (const row of fit.summary()) expect(row.r_hat, row.parameter).toBeLessThan(1.05);
  });

  it('is a FittedMMM whose baseline plus contributions is the fitted mean (original units)', () => {
    const draw = 17;
    const theta = fit.parameters(draw);
    const baseline = fit.baseline(draw);
    const mu = new Float64Array(baseline);
    for (const c of fit.channels) {
      const curve = fit.curve(c, draw);
      expect(curve.coefficient).toBe(theta[fit.parameterNames.indexOf(`beta[${c}]`)]);
      expect(curve.saturation).toEqual({ kind: 'logistic', lambda: theta[fit.parameterNames.indexOf(`lam[${c}]`)] });
    }
    // μ = baseline + Σ contributions, read through the FittedMMM contract.
    for (const c of fit.channels) {
      const contribution = channelContribution(fit.curve(c, draw), fit.spend[c]);
      for (let t = 0; t < mu.length; t++) mu[t] += contribution[t];
    }
    // Residual sd in original units ≈ σ · targetScale: μ tracks y to the noise level (truth: 250).
    let ss = 0;
    for (let t = 0; t < mu.length; t++) ss += (fit.target[t] - mu[t]) ** 2;
    const rmse = Math.sqrt(ss / mu.length);
    expect(rmse).toBeGreaterThan(200);
    expect(rmse).toBeLessThan(300);
    // ROAS reported per draw = Σ contributions / Σ spend.
    const contributions = fit.contributions();
    const spendX1 = fit.spend.x1.reduce((a, b) => a + b, 0);
    expect(fit.roas('x1')[draw]).toBeCloseTo(contributions.x1.total[draw] / spendX1, 6);
  });

  it('posterior predictive covers about 94% of the weeks; ArviZ dict has the from_dict shapes', () => {
    const ppc = fit.posteriorPredictive({ seed: 1 });
    let inside = 0;
    for (let t = 0; t < ppc.observed.length; t++) if (ppc.observed[t] >= ppc.lower[t] && ppc.observed[t] <= ppc.upper[t]) inside++;
    // 179 weeks at 94%: binomial sd 1.8 points; 4 sds either side.
    expect(inside / ppc.observed.length).toBeGreaterThan(0.94 - 0.072);
    expect(inside / ppc.observed.length).toBeLessThan(Math.min(1, 0.94 + 0.072) + 1e-12);
    const az = fit.toArviZ({ seed: 1 });
    expect(az.posterior['beta[x1]'].length).toBe(4);
    expect(az.posterior['beta[x1]'][0].length).toBe(250);
    expect(az.posterior_predictive.y.length).toBe(4);
    expect(az.posterior_predictive.y[0].length).toBe(250);
    expect(az.posterior_predictive.y[0][0].length).toBe(179);
    expect(az.observed_data.y.length).toBe(179);
    expect(az.sample_stats.diverging[0].length).toBe(250);
    expect(JSON.parse(JSON.stringify(az)).dims.y).toEqual(['date']);
  });

  it('identification report: media and noise informed by data, well inside [0, 1]', () => {
    const report = identificationReport(fit);
    const by = (name: string) => report.find((r) => r.parameter === name)!;
    // The adstock of x1 is pinned by 179 weeks (posterior sd 0.03 against the Beta(1,3) prior's 0.19).
    expect(by('alpha[x1]').verdict).toBe('informed by data');
    expect(by('alpha[x1]').contraction).toBeGreaterThan(0.9);
    expect(by('sigma').verdict).toBe('informed by data');
    for (const r of report) expect(r.contraction).toBeLessThanOrEqual(1);
    // With the truth (model scale), the z-score is Betancourt's: the error in posterior sds.
    const withTruth = identificationReport(fit, { truth: { 'alpha[x1]': 0.4, 'alpha[x2]': 0.2 } });
    expect(withTruth.find((r) => r.parameter === 'alpha[x1]')!.zScore).toBeLessThan(3);
  });
});

describe('identification report on a parameter the data cannot see', () => {
  // With a one-week adstock window (lMax 1) the weights are [1] whatever α is: α does not enter the
  // likelihood, so its posterior is exactly its Beta(1, 3) prior (mean 1/4, sd √(3/80)). Reference: that
  // closed form; tolerance 4 MCSEs for the mean, and the sd's own Monte Carlo error for the contraction.
  const fit = fitMMM(columns, { ...spec, adstock: { lMax: 1 } }, { seed: 9, chains: 2, warmup: 200, draws: 200 });
  it('returns the prior for alpha and calls it decided by the prior', () => {
    const report = identificationReport(fit);
    for (const c of ['x1', 'x2']) {
      const row = report.find((r) => r.parameter === `alpha[${c}]`)!;
      const mcse = fit.summary([row.parameter])[0].mcse_mean;
      expect(Math.abs(row.posteriorMean - 0.25)).toBeLessThan(4 * mcse);
      expect(row.priorSd).toBeCloseTo(Math.sqrt(3 / 80), 12);
      // Contraction of a sampled prior: 1 − (ŝ/s)², with ŝ's relative error about 1/√(2 ESS) ≈ 5%: |c| < 0.3.
      expect(Math.abs(row.contraction)).toBeLessThan(0.3);
      expect(row.verdict).toBe('decided by the prior');
    }
    expect(report.find((r) => r.parameter === 'beta[x1]')!.verdict).toBe('informed by data');
  });
});

describe('lift tests in the likelihood', () => {
  // A channel the observational data barely identify: always-on spend with little variation, next to a
  // flighted one, in noisy data. A hold-out lift test on it (spend cut by half for eight weeks, measured
  // with the calibration module's simulator) should pull its ROAS posterior towards the truth and narrow it.
  const sim = simulateMMM({
    seed: 'bayes-lift',
    weeks: 104,
    intercept: 1000,
    trend: { type: 'linear', slope: 0 },
    seasonality: { terms: [{ sin: 30, cos: 20 }] },
    channels: [
      {
        name: 'tv',
        spend: { type: 'flighting', level: 50, onWeeks: 4, offWeeks: 4, variation: 0.2 },
        adstock: { type: 'geometric', alpha: 0.5, lMax: 8, normalize: true },
        saturation: { type: 'logistic', lambda: 0.03 },
        beta: 300,
      },
      {
        name: 'search',
        spend: { type: 'alwaysOn', level: 20, variation: 0.08 },
        adstock: { type: 'geometric', alpha: 0.2, lMax: 8, normalize: true },
        saturation: { type: 'logistic', lambda: 0.05 },
        beta: 150,
      },
    ],
    noiseSd: 60,
  });
  const simSpec: MMMSpec = { date: 'date', target: 'sales', channels: ['tv', 'search'], trend: false, seasonality: { order: 1 } };
  const trueRoas = sim.truth.channels.search.roas;
  const dates = sim.columns.date as string[];
  const lift = simulateLiftTest(sim.truth, { channel: 'search', start: dates[60], end: dates[67], spendChange: -10, noise: 30, seed: 7 });
  const options = { seed: 5, chains: 2, warmup: 250, draws: 250 };
  const without = fitMMM(sim.columns, simSpec, options);
  const withLift = fitMMM(sim.columns, simSpec, { ...options, liftTests: [lift] });

  it('moves the ROAS posterior towards the truth and narrows it', () => {
    const summary = (f: typeof without) => f.summary(['roas[search]'])[0];
    const a = summary(without);
    const b = summary(withLift);
    expect(Math.abs(b.mean - trueRoas)).toBeLessThan(Math.abs(a.mean - trueRoas));
    expect(b.sd).toBeLessThan(0.7 * a.sd);
    expect(b['hdi_3%']).toBeLessThan(trueRoas);
    expect(b['hdi_97%']).toBeGreaterThan(trueRoas);
  });

  it('predicts the tested lift as the calibration module does, per draw, and near the measurement', () => {
    const ours = withLift.predictedLifts().map((v) => v[0]);
    const theirs = predictedLift(withLift, lift);
    for (let i = 0; i < ours.length; i += 50) expect(Math.abs(ours[i] - theirs[i])).toBeLessThan(1e-9 * Math.abs(theirs[i]));
    const mean = ours.reduce((s, v) => s + v, 0) / ours.length;
    const liftTruth = trueLift(sim.truth, lift);
    // The posterior of the predicted lift sits within 3 measurement errors of the true lift.
    expect(Math.abs(mean - liftTruth)).toBeLessThan(3 * lift.standardError);
  });
});

describe('fitMMM input checks and reproducibility', () => {
  const small = { seed: 3, chains: 1, warmup: 10, draws: 5 };

  it('gives bit-identical draws for the same seed, different ones for another seed', () => {
    const a = fitMMM(columns, spec, small);
    const b = fitMMM(columns, spec, small);
    const c = fitMMM(columns, spec, { ...small, seed: 4 });
    expect(Array.from(a.samples.chains[0].draws)).toEqual(Array.from(b.samples.chains[0].draws));
    expect(Array.from(a.samples.chains[0].draws)).not.toEqual(Array.from(c.samples.chains[0].draws));
  });

  it('rejects bad data, options, priors and lift tests with typed errors naming the input', () => {
    const negative = { ...columns, x1: (columns.x1 as number[]).map((v, i) => (i === 5 ? -1 : v)) };
    expect(() => fitMMM(negative, spec, small)).toThrow(InvalidInputError);
    const missing = { ...columns, y: (columns.y as number[]).map((v, i) => (i === 9 ? NaN : v)) };
    expect(() => fitMMM(missing, spec, small)).toThrow(InvalidInputError);
    expect(() => fitMMM(columns, { ...spec, channels: ['x1', 'nope'] }, small)).toThrow(InvalidInputError);
    expect(() => fitMMM(columns, spec, { ...small, seed: undefined as unknown as number })).toThrow(/seed/);
    expect(() => fitMMM(columns, spec, { ...small, chains: 0 })).toThrow(/chains/);
    // Delayed and Weibull adstock are supported (test/mmm/bayes-adstock.test.ts); a kind outside the spec is not.
    expect(() => fitMMM(columns, { ...spec, adstock: { kind: 'binomial' as never } }, small)).toThrow(/spec\.adstock\.kind/);
    expect(() => fitMMM(columns, { ...spec, adstock: { kind: 'delayed', lMax: 1 } }, small)).toThrow(/spec\.adstock\.lMax/);
    expect(() => fitMMM(columns, { ...spec, adstock: { kind: 'weibull', weibullKind: 'survival' as never } }, small)).toThrow(/weibullKind/);
    expect(() => fitMMM(columns, spec, { ...small, priors: { adstockAlpha: Normal(0, 1) } })).toThrow(/priors.adstockAlpha/);
    expect(() => fitMMM(columns, spec, { ...small, priors: { beta: Normal(0, 1) } as never })).toThrow(/priors.beta/);
    const dates = columns.date_week as string[];
    const test = { channel: 'x1', start: dates[10], end: dates[12], spendChange: 0.1, lift: 100, standardError: 20 };
    expect(() => fitMMM(columns, spec, { ...small, liftTests: [{ ...test, channel: 'tv' }] })).toThrow(/liftTests\[0\]\.channel/);
    expect(() => fitMMM(columns, spec, { ...small, liftTests: [{ ...test, start: '2001-01-01' }] })).toThrow(/liftTests\[0\]\.start/);
    expect(() => fitMMM(columns, spec, { ...small, liftTests: [{ ...test, standardError: 0 }] })).toThrow(/standardError/);
    expect(() => fitMMM(columns, spec, { ...small, liftTests: [{ ...test, spendChange: -5 }] })).toThrow(/negative/);
  });

  it('prior predictive: draws on the data scale, bands containing the data, reproducible', () => {
    const a = mmmPriorPredictive(columns, spec, { seed: 1, draws: 200 });
    const b = mmmPriorPredictive(columns, spec, { seed: 1, draws: 200 });
    expect(Array.from(a.draws[7])).toEqual(Array.from(b.draws[7]));
    expect(a.draws.length).toBe(200);
    expect(a.parameterNames).toContain('beta[x1]');
    // Priors weakly informative on the max-scaled target: the data lie inside the prior predictive band.
    let inside = 0;
    for (let t = 0; t < a.observed.length; t++) if (a.observed[t] >= a.lower[t] && a.observed[t] <= a.upper[t]) inside++;
    expect(inside).toBe(a.observed.length);
  });
});
