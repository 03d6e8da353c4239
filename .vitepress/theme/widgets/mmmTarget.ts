// The small example MMM the in-page fit samples (the model of chapter 13, written here with the library's
// pieces while `fitMMM` is not available in src/mmm/bayes): on the scale of `prepareMMM`,
//   y_t = X_t γ + Σ_c β_c · logistic(adstock(x_c; α_c)_t; λ_c) + ε_t,   ε_t ~ Normal(0, σ),
// geometric adstock over 8 weeks, normalized (as the simulation that made the data), and
// PyMC-Marketing's default priors: γ ~ Normal(0, 2), β_c ~ HalfNormal(2), α_c ~ Beta(1, 3),
// λ_c ~ Gamma(3, 1), σ ~ HalfNormal(2). The sampler works on R^d: β, λ, σ through log, α through logit,
// each adding its log-Jacobian.
import { prepareMMM, type PreparedMMM } from '../../../src/mmm/spec';
import type { Columns } from '../../../src/data/csv';
import { createLogDensity } from '../../../src/stats/autodiff/logDensity';
import type { Tape, Var } from '../../../src/stats/autodiff/tape';
import { Beta } from '../../../src/stats/distributions/beta';
import { Gamma } from '../../../src/stats/distributions/gamma';
import { HalfNormal } from '../../../src/stats/distributions/halfNormal';
import { Normal, normalFamily } from '../../../src/stats/distributions/normal';
import { geometricAdstockOp, logisticSaturationOp } from '../../../src/mmm/transforms/ops';
import { geometricAdstock } from '../../../src/mmm/transforms/adstock';
import { logisticSaturation } from '../../../src/mmm/transforms/saturation';
import type { Target } from '../../../src/sample/target';

export const L_MAX = 8;

export interface ExampleModel {
  prepared: PreparedMMM;
  target: Target;
  /** Reported names: media parameters in target and spend units, σ, then the baseline coefficients. */
  names: string[];
  /** The mean of y_t (original units) under one reported draw. */
  mean(draw: ArrayLike<number>): Float64Array;
}

/** The first `weeks` rows of the example's columns. */
export function sliceColumns(columns: Columns, weeks: number): Columns {
  const out: Columns = {};
  for (const [name, values] of Object.entries(columns)) out[name] = values.slice(0, weeks) as number[] | string[];
  return out;
}

export function exampleModel(columns: Columns, weeks: number): ExampleModel {
  const data = sliceColumns(columns, weeks);
  const controls = ['event_1', 'event_2'].filter((c) => (data[c] as number[]).some((v) => v !== 0));
  const prepared = prepareMMM(data, {
    date: 'date_week',
    target: 'y',
    channels: ['x1', 'x2'],
    controls,
    adstock: { kind: 'geometric', lMax: L_MAX, normalize: true },
    saturation: 'logistic',
    seasonality: { order: 2 },
  });
  const X = prepared.baseline.matrix;
  const k = X.cols;
  const C = prepared.channels.length;
  const dimension = k + 3 * C + 1;
  const adstock = geometricAdstockOp({ lMax: L_MAX, normalize: true });
  const saturation = logisticSaturationOp();
  const priors = { gamma: Normal(0, 2), beta: HalfNormal(2), alpha: Beta(1, 3), lambda: Gamma(3, 1), sigma: HalfNormal(2) };
  const y = prepared.y;
  const ys = prepared.targetScale;

  const model = (t: Tape, theta: Var): Var => {
    // Early in warm-up a trajectory can fly far out: where exp overflows or the logistic rounds α to 0
    // or 1, the transforms would refuse their parameters. The density there is 0 for any purpose, and
    // the samplers read a log density of −∞ as a divergence, never as a draw.
    const u = theta.value;
    for (let c = 0; c < C; c++) {
      const alpha = 1 / (1 + Math.exp(-u[k + 3 * c + 1]));
      if (!(Math.exp(u[k + 3 * c]) < Infinity && Math.exp(u[k + 3 * c + 2]) < Infinity && alpha > 0 && alpha < 1)) return t.constant(-Infinity);
    }
    if (!(Math.exp(u[dimension - 1]) > 0 && Math.exp(u[dimension - 1]) < Infinity)) return t.constant(-Infinity);
    const gamma = t.slice(theta, 0, k);
    let lp = t.logDensity(priors.gamma, gamma);
    let mu = t.matVec(X, gamma);
    for (let c = 0; c < C; c++) {
      const uBeta = t.index(theta, k + 3 * c);
      const vAlpha = t.index(theta, k + 3 * c + 1);
      const uLambda = t.index(theta, k + 3 * c + 2);
      const beta = t.exp(uBeta);
      const alpha = t.logistic(vAlpha);
      const lambda = t.exp(uLambda);
      // log-Jacobians: d exp(u)/du = exp(u); d logistic(v)/dv = α(1 − α).
      lp = t.add(lp, t.add(t.logDensity(priors.beta, beta), uBeta));
      lp = t.add(lp, t.add(t.logDensity(priors.alpha, alpha), t.add(t.log(alpha), t.log(t.logistic(t.neg(vAlpha))))));
      lp = t.add(lp, t.add(t.logDensity(priors.lambda, lambda), uLambda));
      const carried = t.customOp([prepared.x[c], alpha], adstock.forward, adstock.vjp, adstock.name);
      const saturated = t.customOp([carried, lambda], saturation.forward, saturation.vjp, saturation.name);
      mu = t.add(mu, t.mul(beta, saturated));
    }
    const uSigma = t.index(theta, dimension - 1);
    const sigma = t.exp(uSigma);
    lp = t.add(lp, t.add(t.logDensity(priors.sigma, sigma), uSigma));
    return t.add(lp, t.logDensity(normalFamily, y, mu, sigma));
  };

  const names = [
    ...prepared.channels.flatMap((c) => [`beta_${c}`, `alpha_${c}`, `lambda_${c}`]),
    'sigma',
    ...prepared.baseline.names,
  ];
  // Reported in the data's units: β and σ times the target's scale, λ per unit of the channel's spend.
  const constrain = (theta: Float64Array): Float64Array => {
    const out = new Float64Array(names.length);
    prepared.channels.forEach((c, j) => {
      out[3 * j] = Math.exp(theta[k + 3 * j]) * ys;
      out[3 * j + 1] = 1 / (1 + Math.exp(-theta[k + 3 * j + 1]));
      out[3 * j + 2] = Math.exp(theta[k + 3 * j + 2]) / prepared.spendScale[c];
    });
    out[3 * C] = Math.exp(theta[dimension - 1]) * ys;
    for (let j = 0; j < k; j++) out[3 * C + 1 + j] = theta[j] * ys;
    return out;
  };
  const density = createLogDensity(dimension, model, { parameterNames: names, constrain });

  const mean = (draw: ArrayLike<number>): Float64Array => {
    const out = new Float64Array(prepared.rows);
    for (let t = 0; t < prepared.rows; t++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += X.data[t * k + j] * draw[3 * C + 1 + j];
      out[t] = s;
    }
    prepared.channels.forEach((c, j) => {
      const carried = geometricAdstock(prepared.spend[c], draw[3 * j + 1], { lMax: L_MAX, normalize: true });
      const f = logisticSaturation(carried, draw[3 * j + 2]);
      for (let t = 0; t < prepared.rows; t++) out[t] += draw[3 * j] * f[t];
    });
    return out;
  };
  return { prepared, target: density, names, mean };
}
