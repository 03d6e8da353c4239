// The point MMM against the published truth of the book's data sets (data/*.truth.json):
//  - sim_basic's noiseless mean (truth.mean) lies exactly in the model family, so the fit must return
//    the generating parameters to optimization accuracy;
//  - with noise, an estimate is compared with the truth through its own approximate standard error, and
//    a parameter the data do not pin down is tested for a flat profile, not for a value;
//  - mmm_example (PyMC-Marketing's example, ground truth published with it) the same way.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCsv } from '../../src/data/csv';
import { fitPointMMM, profileLikelihood, residualDiagnostics, CHI_SQUARE_1_95, type PointMMM } from '../../src/mmm/fit/index';
import { channelContribution } from '../../src/mmm/fitted';

const root = resolve(__dirname, '../..');
const read = (name: string) => readFileSync(resolve(root, 'data', name), 'utf8');

const basicTruth = JSON.parse(read('sim_basic.truth.json'));
const basicColumns = parseCsv(read('sim_basic.csv')).columns;
const basicSpec = {
  date: 'date',
  target: 'sales',
  channels: ['tv', 'search', 'social', 'display'],
  controls: ['price'],
  saturation: 'hill' as const,
  adstock: { lMax: 12 },
};
// The simulation gives each channel its own window and social a logistic curve (truth.options.channels).
const channelForms = { search: { lMax: 4 }, social: { saturation: 'logistic' as const, lMax: 8 }, display: { lMax: 8 } };

/** The generating parameters on the fit's scale: K/max spend, λ·max spend, β/max |target|. */
function basicTruthScaled(fit: PointMMM): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of basicSpec.channels) {
    const s = basicTruth.channels[c].spec;
    const m = fit.prepared.spendScale[c];
    out[`${c}.alpha`] = s.adstock.alpha;
    out[`${c}.beta`] = s.beta / fit.prepared.targetScale;
    if (s.saturation.type === 'hill') {
      out[`${c}.halfSaturation`] = s.saturation.halfSaturation / m;
      out[`${c}.slope`] = s.saturation.slope;
    } else out[`${c}.lambda`] = s.saturation.lambda * m;
  }
  return out;
}

describe('fitPointMMM on noise-free data (sim_basic truth.mean)', () => {
  const columns = { ...basicColumns, sales: basicTruth.mean as number[] };
  const fit = fitPointMMM(columns, basicSpec, { channelForms, starts: 2 });

  it('recovers every media parameter and ROAS to 1e-6 relative', () => {
    // The data are in the model family exactly (linear trend, 2-harmonic yearly Fourier terms, price as a
    // control), so the only error is the optimizer's: LM stops when ‖r‖² stops moving (about 1e-15 of
    // ½Σy²), which leaves the parameters right to ~1e-8; 1e-6 leaves room for the ill-conditioned K–β pairs.
    const truth = basicTruthScaled(fit);
    for (const [name, value] of Object.entries(truth)) {
      expect(Math.abs(fit.parameters[name] - value) / Math.abs(value), name).toBeLessThan(1e-6);
    }
    for (const c of basicSpec.channels) {
      expect(Math.abs(fit.roas[c] / basicTruth.channels[c].roas - 1), c).toBeLessThan(1e-6);
    }
    expect(fit.rSquared).toBeGreaterThan(1 - 1e-12);
    expect(fit.converged).toBe(true);
  });

  it('is a FittedMMM whose curves and baseline rebuild the fitted values', () => {
    // contribution = targetScale·β·s(a(spend/spendScale)) by the shared contract: the curves, read back
    // through channelContribution, plus the baseline must give the fitted values to rounding.
    expect(fit.kind).toBe('point');
    expect(fit.drawCount).toBe(1);
    const total = Float64Array.from(fit.baseline(0));
    for (const c of fit.channels) {
      const contribution = channelContribution(fit.curve(c, 0), fit.spend[c]);
      contribution.forEach((v, t) => (total[t] += v));
      contribution.forEach((v, t) => expect(Math.abs(v - fit.contributions[c][t])).toBeLessThan(1e-9 * fit.prepared.targetScale));
    }
    total.forEach((v, t) => expect(Math.abs(v - fit.fitted[t])).toBeLessThan(1e-9 * fit.prepared.targetScale));
    expect(() => fit.curve('tv', 1)).toThrow(/one draw/);
    expect(() => fit.curve('radio', 0)).toThrow(/radio/);
  });
});

describe('fitPointMMM on sim_basic (noise sd 50)', () => {
  const fit = fitPointMMM(basicColumns, basicSpec, { channelForms, starts: 4 });
  const truth = basicTruthScaled(fit);

  it('finds tv and display within 3 approximate standard errors of the truth', () => {
    // The SEs come from the Jacobian at the optimum (large-sample, conditional on the model); a 3-SE
    // band is a 99.7% band if they are right. Checked: α, ROAS (the quantity Part VI uses) for the two
    // channels whose spend varies enough (flighting, bursts) to be identified.
    for (const c of ['tv', 'display']) {
      const z = (fit.parameters[`${c}.alpha`] - truth[`${c}.alpha`]) / fit.standardErrors[`${c}.alpha`];
      expect(Math.abs(z), `${c}.alpha z = ${z}`).toBeLessThan(3);
      const zr = (fit.roas[c] - basicTruth.channels[c].roas) / fit.roasStandardErrors[c];
      expect(Math.abs(zr), `${c} ROAS z = ${zr}`).toBeLessThan(3);
    }
    // The residual sd estimates the noise sd 50: with 156 − 23 degrees of freedom its relative SE is
    // about 1/sqrt(2·133) = 6%; 3 SE = 18%.
    expect(Math.abs(fit.residualStandardDeviation / basicTruth.noiseSd - 1)).toBeLessThan(0.18);
  });

  it('says search carryover is not identified: its profile is flat over the whole range', () => {
    // Search spend is always on with ±20% noise: its adstock barely changes the series, so every α in
    // [0, 1] fits within the χ²₁ cut-off. Asserting a value for it would be pretending.
    const profile = profileLikelihood(basicColumns, basicSpec, fit, 'search.alpha', [0, 0.25, 0.5, 0.75, 1]);
    expect(Math.max(...profile.likelihoodRatio)).toBeLessThan(CHI_SQUARE_1_95);
    expect(profile.interval.lowerOpen && profile.interval.upperOpen).toBe(true);
    expect(profile.warnings.join(' ')).toMatch(/not closed/);
  });

  it('says the Hill shapes of tv and display are weakly identified: the true K is inside the profile region', () => {
    // The estimates of K are several SEs from the truth for display (the SE assumes a quadratic bowl).
    // The honest claim is about the shape of the loss: with K fixed at the truth and every other
    // parameter re-optimized, the likelihood ratio against the fit is below the χ²₁ 95% cut-off, i.e. the
    // truth is inside the 95% profile interval although the Wald interval (±1.96 SE) excludes it for display.
    for (const c of ['tv', 'display']) {
      const K = truth[`${c}.halfSaturation`];
      const profile = profileLikelihood(basicColumns, basicSpec, fit, `${c}.halfSaturation`, [0.9 * K, K, 1.1 * K]);
      expect(profile.likelihoodRatio[1], `${c}: LR at the true K`).toBeLessThan(CHI_SQUARE_1_95);
    }
    const wald = Math.abs(fit.parameters['display.halfSaturation'] - truth['display.halfSaturation']) / fit.standardErrors['display.halfSaturation'];
    expect(wald).toBeGreaterThan(1.96);
  });

  it('warns about the parameters that end at a bound', () => {
    for (const name of fit.atBound) expect(fit.warnings.join('\n')).toContain(name);
  });
});

describe('fitPointMMM on mmm_example (PyMC-Marketing example, published ground truth)', () => {
  const truth = JSON.parse(read('mmm_example.truth.json'));
  const columns = parseCsv(read('mmm_example.csv')).columns;
  const spec = { date: 'date_week', target: 'y', channels: ['x1', 'x2'], controls: ['event_1', 'event_2'] };
  const fit = fitPointMMM(columns, spec, { starts: 4 });
  const tp = truth.true_parameters;

  it('recovers α, λ, β and ROAS within 3 approximate standard errors', () => {
    // The model differs from the generator only in the trend ((t/n·50 + 10)^¼ − 1, fitted by a line) and
    // the seasonal period (365.5 vs 365.25 days), both far below the noise (sd 250): the SE band applies.
    for (const c of ['x1', 'x2']) {
      const m = fit.prepared.spendScale[c];
      const scaled: Record<string, number> = {
        alpha: tp[`alpha_${c}`],
        lambda: tp[`lam_${c}`] * m,
        beta: (tp[`beta_${c}`] * tp.amplitude) / fit.prepared.targetScale,
      };
      for (const [k, v] of Object.entries(scaled)) {
        const z = (fit.parameters[`${c}.${k}`] - v) / fit.standardErrors[`${c}.${k}`];
        expect(Math.abs(z), `${c}.${k} z = ${z}`).toBeLessThan(3);
      }
      const zr = (fit.roas[c] - truth.true_totals[`roas_${c}`]) / fit.roasStandardErrors[c];
      expect(Math.abs(zr), `${c} ROAS z = ${zr}`).toBeLessThan(3);
    }
  });

  it('leaves white-noise residuals', () => {
    // The generator's noise is iid N(0, 250²). Under white noise r₁ has sd ≈ 1/sqrt(n) = 0.075 (n = 179):
    // |r₁| < 3/sqrt(n), and DW ≈ 2(1 − r₁) within 2 ± 6/sqrt(n). The residual sd estimates 250 to
    // 1/sqrt(2·(179 − 13)) = 5.5% (3 SE = 16.5%).
    const d = residualDiagnostics(fit.residuals);
    expect(Math.abs(d.lag1Autocorrelation)).toBeLessThan(3 / Math.sqrt(179));
    expect(Math.abs(d.durbinWatson - 2)).toBeLessThan(6 / Math.sqrt(179));
    expect(Math.abs(fit.residualStandardDeviation / 250 - 1)).toBeLessThan(0.165);
  });

  it('pins x1.alpha down: its 95% profile interval is closed and covers the truth', () => {
    const profile = profileLikelihood(columns, spec, fit, 'x1.alpha', [0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6]);
    expect(profile.interval.lowerOpen || profile.interval.upperOpen).toBe(false);
    expect(profile.interval.lower).toBeLessThan(tp.alpha_x1);
    expect(profile.interval.upper).toBeGreaterThan(tp.alpha_x1);
    // At the estimate the statistic is 0 by construction (the profile's minimum is the fit).
    expect(Math.min(...profile.likelihoodRatio)).toBeLessThan(0.05);
  });
});
