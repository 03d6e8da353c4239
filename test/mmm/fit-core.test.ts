// The machinery of the point fit: exact derivatives against central differences, typed errors naming the
// bad input, bit-for-bit reproducibility, Robyn's two objectives and the Pareto front against their
// definitions, and the residual diagnostics against closed forms.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCsv, type Columns } from '../../src/data/csv';
import { DataValidationError } from '../../src/data/errors';
import { InvalidInputError } from '../../src/errors';
import { numericalGradient, numericalJacobian } from '../../src/optimize/numerical';
import { createRng } from '../../src/random/generator';
import { prepareMMM } from '../../src/mmm/spec';
import { returnsOnSpend } from '../../src/mmm/response/returns';
import {
  buildProblem,
  decompRssd,
  fitPointMMM,
  lossAndGradient,
  nrmse,
  paretoFront,
  residualDiagnostics,
  residualJacobian,
  residualVector,
  rollingOriginError,
  rssSurface,
  searchHyperparameters,
  solveLinearPart,
} from '../../src/mmm/fit/index';
import { mediaParts } from '../../src/mmm/fit/model';
import { matrix } from '../../src/linalg/matrix';
import { ridge } from '../../src/linalg/ridge';

const root = resolve(__dirname, '../..');
const columns = parseCsv(readFileSync(resolve(root, 'data/mmm_example.csv'), 'utf8')).columns;
const spec = { date: 'date_week', target: 'y', channels: ['x1', 'x2'], controls: ['event_1', 'event_2'] };
const basic = parseCsv(readFileSync(resolve(root, 'data/sim_basic.csv'), 'utf8')).columns;

describe('exact derivatives of the MMM loss', () => {
  // Central differences with step h ≈ ε^⅓·max(|p|, 1) have error O(h²·f''') ≈ 1e-10 relative; agreement
  // to 1e-6 of each column's (or the gradient's) largest entry rules out any wrong term (a wrong chain
  // factor is off by O(1)).
  const cases = [
    { name: 'geometric + logistic (mmm_example)', cols: columns, spec, forms: undefined },
    {
      name: 'geometric + Hill, mixed windows, ridge penalty (sim_basic)',
      cols: basic,
      spec: { date: 'date', target: 'sales', channels: ['tv', 'search', 'social', 'display'], controls: ['price'], saturation: 'hill' as const },
      forms: { social: { saturation: 'logistic' as const, lMax: 8 } },
    },
    { name: 'delayed adstock', cols: columns, spec: { ...spec, adstock: { kind: 'delayed' as const, lMax: 6 } }, forms: undefined },
    { name: 'Weibull adstock', cols: columns, spec: { ...spec, adstock: { kind: 'weibull' as const, lMax: 6 } }, forms: undefined },
  ];
  for (const c of cases) {
    it(`Jacobian and gradient match central differences: ${c.name}`, () => {
      const problem = buildProblem(prepareMMM(c.cols, c.spec), { channelForms: c.forms, penalty: c.forms ? 0.3 : 0 });
      const rng = createRng(c.name);
      // An interior point: every media parameter strictly inside its start range, β and γ of order 1.
      const p = new Float64Array(problem.names.length);
      for (const ch of problem.channels) {
        [...ch.adstock.parameters, ...ch.saturation.parameters].forEach((q, k) => {
          p[ch.adstockAt + k] = q.startLower + (0.2 + 0.6 * rng.uniform()) * (q.startUpper - q.startLower);
        });
        p[ch.betaAt] = 0.2 + rng.uniform();
      }
      for (let j = problem.baselineAt; j < p.length; j++) p[j] = rng.uniform() - 0.5;
      const J = residualJacobian(problem, p);
      const Jn = numericalJacobian((x) => residualVector(problem, x), p);
      for (let k = 0; k < J.cols; k++) {
        let scale = 0, err = 0;
        for (let t = 0; t < J.rows; t++) {
          scale = Math.max(scale, Math.abs(Jn.data[t * J.cols + k]));
          err = Math.max(err, Math.abs(J.data[t * J.cols + k] - Jn.data[t * J.cols + k]));
        }
        expect(err, problem.names[k]).toBeLessThanOrEqual(1e-6 * Math.max(scale, 1e-8));
      }
      const g = lossAndGradient(problem, p).gradient;
      const gn = numericalGradient((x) => lossAndGradient(problem, x).value, p);
      const gScale = Math.max(...Array.from(gn, Math.abs));
      g.forEach((v, k) => expect(Math.abs(v - gn[k]), problem.names[k]).toBeLessThan(1e-6 * gScale));
      // ½‖r‖² with the ridge rows is the loss.
      const r = residualVector(problem, p);
      expect(lossAndGradient(problem, p).value).toBeCloseTo(0.5 * r.reduce((s, v) => s + v * v, 0), 12);
    });
  }
});

describe('the linear part: ridge with β ≥ 0 (Lawson–Hanson)', () => {
  it('matches brute force over every active set, solved by src/linalg ridge', () => {
    // The NNLS optimum is the best feasible unconstrained solution over the 2^k subsets of free channels
    // (KKT: on its support it is the unconstrained ridge fit). Media are made partly harmful (1 − s) so
    // that constraints bind. Agreement to 1e-10 relative: two solvers (normal equations vs QR) on the
    // same well-posed least-squares problems.
    const problem = buildProblem(prepareMMM(basic, { date: 'date', target: 'sales', channels: ['tv', 'search', 'social', 'display'], controls: ['price'], saturation: 'hill' }));
    const rng = createRng('nnls');
    const B = problem.baseline;
    let binding = 0;
    for (let trial = 0; trial < 40; trial++) {
      const p = new Float64Array(problem.names.length);
      for (const ch of problem.channels) {
        [...ch.adstock.parameters, ...ch.saturation.parameters].forEach((q, k) => (p[ch.adstockAt + k] = q.startLower + rng.uniform() * (q.startUpper - q.startLower)));
      }
      const saturated = mediaParts(problem, p).saturated.map((s) => (rng.uniform() < 0.4 ? s.map((v) => 1 - v) : s));
      const penalty = trial % 2 === 0 ? 0 : 0.1;
      const sol = solveLinearPart(problem, saturated, problem.rows, penalty);
      if (sol.dropped.length > 0) binding++;
      const loss = (beta: ArrayLike<number>, gamma: ArrayLike<number>) => {
        let s = 0;
        for (let t = 0; t < problem.rows; t++) {
          let f = 0;
          for (let c = 0; c < 4; c++) f += beta[c] * saturated[c][t];
          for (let j = 0; j < B.cols; j++) f += gamma[j] * B.data[t * B.cols + j];
          s += (f - problem.y[t]) ** 2;
        }
        for (let c = 0; c < 4; c++) s += penalty * beta[c] ** 2;
        return s;
      };
      let best = Infinity;
      for (let mask = 0; mask < 16; mask++) {
        const on = [0, 1, 2, 3].filter((c) => (mask >> c) & 1);
        const X = matrix(problem.rows, on.length + B.cols);
        for (let t = 0; t < problem.rows; t++) {
          on.forEach((c, a) => (X.data[t * X.cols + a] = saturated[c][t]));
          for (let j = 0; j < B.cols; j++) X.data[t * X.cols + on.length + j] = B.data[t * B.cols + j];
        }
        const fit = ridge(X, problem.y, penalty, { penalized: [...on.map(() => true), ...Array.from({ length: B.cols }, () => false)] });
        if (on.some((_, a) => fit.coefficients[a] < 0)) continue;
        const beta = [0, 0, 0, 0];
        on.forEach((c, a) => (beta[c] = fit.coefficients[a]));
        best = Math.min(best, loss(beta, fit.coefficients.subarray(on.length)));
      }
      sol.beta.forEach((b) => expect(b).toBeGreaterThanOrEqual(0));
      expect(Math.abs(loss(sol.beta, sol.gamma) / best - 1)).toBeLessThan(1e-10);
    }
    expect(binding).toBeGreaterThan(10);
  });
});

describe('bad input', () => {
  it('negative spend: DataValidationError naming the column and row', () => {
    const bad: Columns = { ...columns, x1: (columns.x1 as number[]).map((v, i) => (i === 4 ? -1 : v)) };
    try {
      fitPointMMM(bad, spec, { starts: 1 });
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(DataValidationError);
      expect((e as DataValidationError).column).toBe('x1');
      expect((e as DataValidationError).row).toBe(5);
    }
  });
  it('unknown column: typed error naming it', () => {
    expect(() => fitPointMMM(columns, { ...spec, channels: ['x1', 'radio'] })).toThrow(DataValidationError);
    expect(() => fitPointMMM(columns, { ...spec, channels: ['x1', 'radio'] })).toThrow(/radio/);
  });
  it('too few rows for the parameters: InvalidInputError naming rows', () => {
    const few: Columns = Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.slice(0, 12)])) as Columns;
    expect(() => fitPointMMM(few, spec, { starts: 1 })).toThrow(InvalidInputError);
    expect(() => fitPointMMM(few, spec, { starts: 1 })).toThrow(/needs more weeks than parameters/);
  });
  it('unknown parameter names in options, a bad seed, a bad fixed value', () => {
    expect(() => fitPointMMM(columns, spec, { bounds: { 'x3.alpha': [0, 1] } })).toThrow(/x3.alpha/);
    expect(() => fitPointMMM(columns, spec, { fixed: { 'x1.alpha': NaN } })).toThrow(/fixed.x1.alpha/);
    expect(() => fitPointMMM(columns, spec, { seed: 1.5 })).toThrow(/seed/);
    expect(() => fitPointMMM(columns, spec, { channelForms: { radio: { lMax: 4 } } })).toThrow(/channelForms.radio/);
    expect(() => searchHyperparameters(columns, spec, { trials: 10, ranges: { 'x1.alpha': [0, 2] } })).toThrow(/ranges.x1.alpha/);
    expect(() => searchHyperparameters(columns, spec, { trials: 10, validationWeeks: 170 })).toThrow(/validationWeeks/);
  });
});

describe('reproducibility', () => {
  it('same seed: bit-identical fits and searches; another seed: other starts', () => {
    const a = fitPointMMM(columns, spec, { starts: 2, seed: 7 });
    const b = fitPointMMM(columns, spec, { starts: 2, seed: 7 });
    expect(Array.from(b.estimates)).toEqual(Array.from(a.estimates));
    expect(b.startLosses).toEqual(a.startLosses);
    const c = fitPointMMM(columns, spec, { starts: 2, seed: 8 });
    expect(c.startLosses[1]).not.toBe(a.startLosses[1]);
    const s1 = searchHyperparameters(columns, spec, { trials: 20, seed: 3 });
    const s2 = searchHyperparameters(columns, spec, { trials: 20, seed: 3 });
    expect(JSON.stringify(s2)).toBe(JSON.stringify(s1));
  });
});

describe('Robyn objectives and the search', () => {
  it('NRMSE and DECOMP.RSSD follow Robyn’s definitions (R/R/model.R)', () => {
    // sqrt(mean((y − ŷ)²)) / (max y − min y): errors (1, −1, 0, 0) over range 3 → sqrt(0.5)/3.
    expect(nrmse([1, 2, 3, 4], [2, 1, 3, 4])).toBeCloseTo(Math.sqrt(0.5) / 3, 15);
    // Effect shares (0.75, 0.25) vs spend shares (0.5, 0.5): sqrt(0.25² + 0.25²).
    expect(decompRssd([3, 1], [10, 10])).toBeCloseTo(Math.sqrt(0.125), 15);
    expect(decompRssd([0, 0], [1, 1])).toBe(Infinity);
    expect(() => nrmse([1, 1], [1, 2])).toThrow(/constant/);
  });
  it('the Pareto front is exactly the non-dominated set (brute force)', () => {
    const rng = createRng('pareto');
    const a = Array.from({ length: 200 }, () => rng.uniform());
    const b = Array.from({ length: 200 }, () => rng.uniform());
    const front = new Set(paretoFront(a, b));
    for (let i = 0; i < a.length; i++) {
      const dominated = a.some((_, j) => j !== i && a[j] <= a[i] && b[j] <= b[i] && (a[j] < a[i] || b[j] < b[i]));
      expect(front.has(i), `point ${i}`).toBe(!dominated);
    }
  });
  it('scores each trial on the held-out last weeks, with β ≥ 0, and marks its front', () => {
    const s = searchHyperparameters(columns, spec, { trials: 30, seed: 1, validationWeeks: 26 });
    expect(s.trainingWeeks + s.validationWeeks).toBe(179);
    expect(s.trials).toHaveLength(30);
    for (const t of s.trials) {
      expect(t.coefficients['x1.beta']).toBeGreaterThanOrEqual(0);
      expect(t.coefficients['x2.beta']).toBeGreaterThanOrEqual(0);
      expect(t.hyperparameters.penalty).toBeGreaterThanOrEqual(1e-4);
      expect(t.pareto).toBe(s.paretoFront.includes(t.index));
    }
    // Latin hypercube: each of the 30 strata of x1.alpha's range holds exactly one trial.
    const strata = new Set(s.trials.map((t) => Math.floor(((t.hyperparameters['x1.alpha'] - 0.05) / 0.8) * 30)));
    expect(strata.size).toBe(30);
    // Changing the held-out weeks' target changes no coefficient (they are never used to fit).
    const y = (columns.y as number[]).map((v, i) => (i >= 179 - 26 ? v + 1000 : v));
    const s2 = searchHyperparameters({ ...columns, y }, spec, { trials: 30, seed: 1, validationWeeks: 26 });
    // y is scaled by its maximum, which the change moves: compare β·targetScale (original units).
    const scale1 = prepareMMM(columns, spec).targetScale, scale2 = prepareMMM({ ...columns, y }, spec).targetScale;
    s.trials.forEach((t, i) => {
      const b1 = t.coefficients['x1.beta'] * scale1, b2 = s2.trials[i].coefficients['x1.beta'] * scale2;
      expect(Math.abs(b1 - b2)).toBeLessThan(1e-8 * Math.max(1, Math.abs(b1)));
    });
  });
});

describe('diagnostics', () => {
  it('Durbin–Watson and lag-1 autocorrelation against closed forms', () => {
    // e = (1, −1, 1, −1): Σ(Δe)² = 3·4 = 12, Σe² = 4 → DW = 3; r₁ = −3/4.
    const d = residualDiagnostics([1, -1, 1, -1]);
    expect(d.durbinWatson).toBeCloseTo(3, 15);
    expect(d.lag1Autocorrelation).toBeCloseTo(-0.75, 15);
    expect(() => residualDiagnostics([0, 0, 0])).toThrow(/zero/);
  });
  it('rolling-origin forecasts use only the past: changing later weeks changes no fold that ends before them', () => {
    const opts = { starts: 1, initialWeeks: 140, horizon: 13, step: 13 };
    const a = rollingOriginError(columns, spec, opts);
    expect(a.folds.map((f) => f.origin)).toEqual([140, 153, 166]);
    // Perturb the last 13 weeks; the target's scale is its maximum, which the change leaves alone
    // (the perturbed weeks are below it), so folds before week 166 must be identical.
    const y = (columns.y as number[]).map((v, i) => (i >= 166 ? v - 100 : v));
    const b = rollingOriginError({ ...columns, y }, spec, opts);
    expect(b.folds[0].errors).toEqual(a.folds[0].errors);
    expect(b.folds[1].errors).toEqual(a.folds[1].errors);
    expect(Number.isFinite(a.rmse) && a.rmse > 0).toBe(true);
  });
  it('the RSS surface at the fit’s own parameters reproduces the fit’s RSS', () => {
    const fit = fitPointMMM(columns, spec, { starts: 2 });
    const a = fit.parameters['x1.alpha'], l = fit.parameters['x1.lambda'];
    const s = rssSurface(fit, ['x1.alpha', [a - 0.1, a, a + 0.1]], ['x1.lambda', [l / 2, l, 2 * l]]);
    // Re-solving β, γ by the normal equations at the optimum gives the same RSS up to their conditioning.
    expect(Math.abs(s.residualSumOfSquares[1][1] / fit.residualSumOfSquares - 1)).toBeLessThan(1e-8);
    expect(Math.min(...s.residualSumOfSquares.map((r) => Math.min(...r)))).toBeGreaterThanOrEqual(fit.residualSumOfSquares * (1 - 1e-8));
    // Part VI reads the fit only through FittedMMM: its ROAS from the curves must be the fit's own ROAS
    // (both are Σ contribution / Σ spend over the same weeks; only summation order differs).
    for (const r of returnsOnSpend(fit).channels) {
      expect(Math.abs(r.roas.mean / fit.roas[r.channel] - 1), r.channel).toBeLessThan(1e-12);
    }
  });
});
