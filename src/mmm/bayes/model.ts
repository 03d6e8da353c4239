// The Bayesian MMM's log density on the unconstrained space, with its gradient written by hand and fused
// over the weeks: one forward pass computes and stores each channel's adstocked and saturated columns (and
// their derivatives), one backward pass sends ∂ log p/∂μ_t back through them. Model (chapter 13), on the
// scaled data of `prepareMMM`:
//   μ_t = Σ_j X_tj γ_j + Σ_c β_c s(a_ct; θ_c),  a_ct = Σ_{l<L} w_l(ω_c) x_{c,t−l},
// where the lag weights w_l(ω_c) are geometric (ω = α), delayed (ω = α, θ) or Weibull (ω = k, λ; chapter 4),
//   y_t ~ Normal(μ_t, σ) or StudentT(ν, μ_t, σ),
// with the priors of `priors.ts` and, optionally, lift tests as extra likelihood terms (`liftTests.ts`).
// It is the model of /work/shared/peers/mmm_example.stan generalized by the spec.
import { InvalidInputError } from '../../errors';
import { digamma, logGamma, logistic, softplus, type Bijection, type Distribution, type DistributionFamily } from '../../stats/index';
import type { Target } from '../../sample/index';
import type { ChannelCurve } from '../fitted';
import type { PreparedMMM } from '../spec';
import { delayedWeightsInto, normalizeWeightsInPlace, weibullWeightsInto } from '../transforms/lagWeights';
import type { PreparedLiftTest } from './liftTests';
import type { MMMPriors } from './priors';

/** Where each parameter sits in the unconstrained vector, and what it is. */
export interface MMMLayout {
  /**
   * Parameter names in order: baseline columns, then per channel β, the adstock's parameters (`alpha[c]`;
   * `alpha[c]`, `theta[c]`; or `shape[c]`, `scale[c]`) and the saturation's, then σ (and ν).
   */
  names: string[];
  priors: Distribution[];
  /**
   * Upper end of each parameter's support in the model (Infinity for most): the delayed adstock's peak θ
   * lives in [0, L − 1], so its prior is truncated there.
   */
  upper: number[];
  /** Which role's prior each parameter has (for the identification report). */
  roles: (keyof MMMPriors)[];
  baselineCount: number;
  /** Index of channel c's β; the adstock's parameters are +1 (and +2), the saturation's follow them. */
  channelStart: number[];
  /** Number of adstock parameters per channel: 1 (geometric) or 2 (delayed, Weibull). */
  adstockCount: number;
  perChannel: number;
  sigma: number;
  /** Index of ν, or -1 for a Normal likelihood. */
  nu: number;
  /**
   * Per channel, the reference spend ā_c (scaled, as in `prepared.x`): the mean spend of the weeks with
   * spend, where the contribution coordinate log(β s(ā; θ_sat)) is taken (see `MMMCoordinates`).
   */
  referenceSpend: number[];
}

/**
 * The coordinates the sampler moves in for each channel's coefficient (chapter 13).
 * - 'contribution' (default): log m_c with m_c = β_c s(ā_c; θ_sat), the channel's effect at its typical
 *   spend ā_c, in place of log β_c. The data pin m_c down whatever the saturation does, while β alone
 *   slides along a bent ridge (a small λ with a large β fits as well as the reverse, since β s ≈ βλa/2
 *   when λa is small): in these coordinates that ridge is nearly straight and axis-aligned. The map
 *   (log m, θ_sat) → (log β, θ_sat) is a shear, log β = log m − log s(ā; θ_sat), with unit Jacobian, so the
 *   posterior of the model parameters is unchanged: only the sampler's view of it is.
 * - 'coefficient': log β_c, as in Stan's program (`mmm_example.stan`).
 * The contribution coordinate needs β's prior on (0, ∞) with the log bijection (every default); a channel
 * whose β prior has another support keeps the coefficient coordinate.
 *
 * With it, the intercept's coordinate becomes the level the data see: intercept + Σ_c κ_c m_c, where
 * κ_c = (mean spend)/(mean spend in weeks with spend) turns m_c into the channel's average weekly effect.
 * An always-on channel's effect and the intercept trade off against each other (the posterior correlation
 * of log m and the intercept is −0.86 on data/mmm_example.csv); their sum does not. This second shear,
 * intercept = v₀ − Σ_c κ_c m_c, also has a unit Jacobian. It needs an intercept with a prior on the whole
 * real line (the default Normal).
 */
export type MMMCoordinates = 'contribution' | 'coefficient';

/** The target plus what the fit needs to report draws in original units. */
export interface MMMTarget extends Target {
  readonly layout: MMMLayout;
  /** The coordinates of each channel's coefficient (see `MMMCoordinates`). */
  readonly coordinates: MMMCoordinates;
  /** Constrained parameters (model scale) from an unconstrained point. */
  parameters(u: Float64Array): Float64Array;
  /** The unconstrained point (the sampler's coordinates) of constrained parameters θ: the inverse of `parameters`. */
  unconstrain(theta: ArrayLike<number>): Float64Array;
  /** μ_t (scaled) and each channel's saturated column s_ct under constrained parameters θ. */
  forward(theta: ArrayLike<number>): { mu: Float64Array; saturated: Float64Array[] };
  /** Each lift test's predicted lift in original units under θ. */
  predictedLifts(theta: ArrayLike<number>): Float64Array;
}

/** Role of each baseline column: intercept first, then trend, seasonality, events and controls (designMatrix's order). */
function baselineRoles(prepared: PreparedMMM): (keyof MMMPriors)[] {
  const { names } = prepared.baseline;
  return names.map((name, j) => {
    if (j === 0 && name === 'intercept') return 'intercept';
    if (prepared.spec.trend !== false && /^trend(_cp\d+)?$/.test(name)) return 'trend';
    if (prepared.spec.seasonality !== false && /^season_(sin|cos)\d+$/.test(name)) return 'seasonality';
    return 'controls';
  });
}

/** Mean spend over the weeks with spend (scaled): the reference level of the contribution coordinate. */
function referenceSpend(x: Float64Array): number {
  let sum = 0;
  let n = 0;
  for (let t = 0; t < x.length; t++) {
    if (x[t] > 0) {
      sum += x[t];
      n++;
    }
  }
  return n > 0 ? sum / n : 1;
}

/** The parameter layout of a prepared spec (chapter 13). */
export function mmmLayout(prepared: PreparedMMM, priors: MMMPriors): MMMLayout {
  const names: string[] = [];
  const roles: (keyof MMMPriors)[] = [];
  baselineRoles(prepared).forEach((role, j) => {
    const column = prepared.baseline.names[j];
    names.push(role === 'controls' ? `gamma[${column}]` : column);
    roles.push(role);
  });
  const hill = prepared.spec.saturation === 'hill';
  const kind = prepared.spec.adstock.kind;
  const adstockCount = kind === 'geometric' ? 1 : 2;
  const perChannel = 1 + adstockCount + (hill ? 2 : 1);
  const channelStart: number[] = [];
  const upper: number[] = names.map(() => Infinity);
  for (const c of prepared.channels) {
    channelStart.push(names.length);
    names.push(`beta[${c}]`);
    roles.push('channel');
    if (kind === 'geometric') {
      names.push(`alpha[${c}]`);
      roles.push('adstockAlpha');
    } else if (kind === 'delayed') {
      names.push(`alpha[${c}]`, `theta[${c}]`);
      roles.push('adstockAlpha', 'adstockTheta');
    } else {
      names.push(`shape[${c}]`, `scale[${c}]`);
      roles.push('weibullShape', 'weibullScale');
    }
    if (hill) {
      names.push(`kappa[${c}]`, `slope[${c}]`);
      roles.push('hillHalfSaturation', 'hillSlope');
    } else {
      names.push(`lam[${c}]`);
      roles.push('saturationLambda');
    }
  }
  const sigma = names.length;
  names.push('sigma');
  roles.push('sigma');
  let nu = -1;
  if (prepared.spec.likelihood === 'studentT') {
    nu = names.length;
    names.push('nu');
    roles.push('nu');
  }
  const thetaMax = Math.min(prepared.spec.adstock.lMax, prepared.rows) - 1;
  for (let j = upper.length; j < names.length; j++) upper.push(roles[j] === 'adstockTheta' ? thetaMax : Infinity);
  return {
    names,
    roles,
    priors: roles.map((r) => priors[r]),
    upper,
    baselineCount: prepared.baseline.names.length,
    channelStart,
    adstockCount,
    perChannel,
    sigma,
    nu,
    referenceSpend: prepared.x.map(referenceSpend),
  };
}

/**
 * Channel c's curve (adstock, saturation, coefficient and scales) under constrained parameters θ: what
 * `FittedMMM.curve` returns for a draw (chapter 13).
 */
export function mmmChannelCurve(prepared: PreparedMMM, layout: MMMLayout, theta: ArrayLike<number>, c: number): ChannelCurve {
  const k = layout.channelStart[c];
  const { kind, lMax, normalize, weibullKind } = prepared.spec.adstock;
  const s = k + 1 + layout.adstockCount;
  const channel = prepared.channels[c];
  return {
    adstock:
      kind === 'geometric'
        ? { kind, alpha: theta[k + 1], lMax, normalize }
        : kind === 'delayed'
          ? { kind, alpha: theta[k + 1], theta: theta[k + 2], lMax, normalize }
          : { kind, shape: theta[k + 1], scale: theta[k + 2], weibullKind, lMax, normalize },
    saturation: prepared.spec.saturation === 'hill' ? { kind: 'hill', halfSaturation: theta[s], slope: theta[s + 1] } : { kind: 'logistic', lambda: theta[s] },
    coefficient: theta[k],
    spendScale: prepared.spendScale[channel],
    targetScale: prepared.targetScale,
  };
}

/** A prior's family and parameters, with its parameter-only normalizer computed once. */
interface FastPrior {
  family: DistributionFamily;
  a: number;
  b: number;
  c: number;
  normalizer: number;
  bijection: Bijection;
}

function fastPrior(d: Distribution): FastPrior {
  const p = d.family.parameters.map((name) => (d.parameters as Record<string, number>)[name]);
  const [a = 0, b = 0, c = 0] = p;
  return { family: d.family, a, b, c, normalizer: d.family.logNormalizer(a, b, c), bijection: d.bijection };
}

/**
 * The geometric adstock weights w_l = α^l / Σ_k α^k (or α^l unnormalized) and dw_l/dα, written into `w`
 * and `dw` (chapter 4's weights, differentiated by the quotient rule).
 */
function geometricWeights(alpha: number, normalize: boolean, w: Float64Array, dw: Float64Array): void {
  const L = w.length;
  let sum = 0;
  let dsum = 0;
  let power = 1; // α^l
  let prev = 0; // α^(l−1)
  for (let l = 0; l < L; l++) {
    w[l] = power;
    dw[l] = l === 0 ? 0 : l * prev;
    sum += power;
    dsum += dw[l];
    prev = power;
    power *= alpha;
  }
  if (!normalize) return;
  const inv = 1 / sum;
  for (let l = 0; l < L; l++) {
    dw[l] = (dw[l] * sum - w[l] * dsum) * inv * inv;
    w[l] *= inv;
  }
}

/**
 * Builds the target of the Bayesian MMM for prepared data, priors and lift tests (chapter 13). The gradient
 * is exact (hand-derived, checked against central differences in test/mmm/bayes-gradient.test.ts and
 * test/mmm/bayes-adstock.test.ts), and a call allocates nothing.
 */
export function mmmTarget(
  prepared: PreparedMMM,
  priors: MMMPriors,
  lifts: readonly PreparedLiftTest[] = [],
  coordinates: MMMCoordinates = 'contribution',
): MMMTarget {
  const spec = prepared.spec;
  if (coordinates !== 'contribution' && coordinates !== 'coefficient') {
    throw new InvalidInputError('coordinates', `expected 'contribution' or 'coefficient', got '${String(coordinates)}'`);
  }
  const kind = spec.adstock.kind;
  if (kind !== 'geometric' && kind !== 'delayed' && kind !== 'weibull') {
    throw new InvalidInputError('spec.adstock.kind', `the Bayesian MMM supports 'geometric', 'delayed' and 'weibull' adstock, got '${String(kind)}'`);
  }
  if (kind === 'delayed' && Math.min(spec.adstock.lMax, prepared.rows) < 2) {
    throw new InvalidInputError('spec.adstock.lMax', 'the delayed adstock needs a window of at least 2 weeks: with one lag its peak θ has nowhere to be');
  }
  const layout = mmmLayout(prepared, priors);
  layout.upper.forEach((upper, j) => {
    // A truncated prior with (almost) no mass inside the window leaves nothing to sample.
    const prior = layout.priors[j];
    if (upper < prior.support.upper && !(prior.cdf(upper) > 1e-8)) {
      throw new InvalidInputError(`priors.${layout.roles[j]}`, `${prior.name} puts no mass below ${upper}, the largest lag of the window (lMax − 1)`);
    }
  });
  const geometric = kind === 'geometric';
  const weibullKind = spec.adstock.weibullKind;
  const A = layout.adstockCount;
  const upper = layout.upper;
  const hill = spec.saturation === 'hill';
  const studentT = spec.likelihood === 'studentT';
  const T = prepared.rows;
  const C = prepared.channels.length;
  const P = layout.baselineCount;
  const D = layout.names.length;
  const L = Math.min(spec.adstock.lMax, T);
  const normalize = spec.adstock.normalize;
  const X = prepared.baseline.matrix.data; // row-major T × P
  const Xt = new Float64Array(T * P); // column-major copy, so that both passes read contiguously
  for (let t = 0; t < T; t++) for (let j = 0; j < P; j++) Xt[j * T + t] = X[t * P + j];
  // The baseline's matrix–vector products skip what is known: the intercept's column of ones needs no
  // multiplication, and event dummies are zero in all but a few weeks, so only their nonzero rows are
  // visited. Terms are still added in the same order (column j after column j − 1, week by week), and
  // skipped terms are exact zeros, so μ and the gradient are bit-for-bit those of the full products.
  const onesColumn: boolean[] = [];
  const sparseRows: (Int32Array | null)[] = [];
  for (let j = 0; j < P; j++) {
    let ones = true;
    const rows: number[] = [];
    for (let t = 0; t < T; t++) {
      const v = Xt[j * T + t];
      if (v !== 1) ones = false;
      if (v !== 0) rows.push(t);
    }
    onesColumn.push(ones);
    sparseRows.push(rows.length * 4 <= T ? Int32Array.from(rows) : null);
  }
  const y = prepared.y;
  const x = prepared.x;
  const targetScale = prepared.targetScale;
  const fast = layout.priors.map(fastPrior);

  // Scratch, allocated once.
  const theta = new Float64Array(D);
  const gTheta = new Float64Array(D);
  const kernelGrad = new Float64Array(4);
  const mu = new Float64Array(T);
  const gMu = new Float64Array(T);
  const adstocked = Array.from({ length: C }, () => new Float64Array(T));
  const dAdstocked = Array.from({ length: C }, () => new Float64Array(T)); // ∂a_t/∂α
  const saturated = Array.from({ length: C }, () => new Float64Array(T));
  const recursion = Array.from({ length: C }, () => new Float64Array(T));
  const recursionGrad = Array.from({ length: C }, () => new Float64Array(T));
  const sA = Array.from({ length: C }, () => new Float64Array(T)); // ∂s/∂a
  const sP1 = Array.from({ length: C }, () => new Float64Array(T)); // ∂s/∂λ (or ∂s/∂K)
  const sP2 = Array.from({ length: C }, () => new Float64Array(T)); // ∂s/∂slope (Hill)
  const weights = Array.from({ length: C }, () => {
    const dw = new Float64Array(L);
    const dw2 = new Float64Array(L);
    return { w: new Float64Array(L), dw, dw2, derivatives: [dw, dw2] };
  });
  // Delayed and Weibull: ∂a_t/∂ω₂ (the second adstock parameter; ∂a_t/∂ω₁ is in dAdstocked).
  const dAdstocked2 = Array.from({ length: geometric ? 0 : C }, () => new Float64Array(T));
  // Saturation at one point: value and derivatives in `sat`.
  const sat = new Float64Array(4);
  const saturate = (a: number, p1: number, p2: number): void => {
    if (hill) {
      if (a <= 0) {
        sat[0] = sat[1] = sat[2] = sat[3] = 0;
        return;
      }
      // s = a^h/(a^h + K^h) = r/(1+r), r = (a/K)^h; s(1−s) = r/(1+r)².
      const logRatio = Math.log(a / p1);
      const r = Math.exp(p2 * logRatio);
      const s = r / (1 + r);
      const ss = s / (1 + r);
      sat[0] = s;
      sat[1] = (p2 * ss) / a;
      sat[2] = (-p2 * ss) / p1;
      sat[3] = ss * logRatio;
      return;
    }
    // Logistic s = (1 − e^{−λa})/(1 + e^{−λa}); ∂s/∂a = λ(1 − s²)/2, ∂s/∂λ = a(1 − s²)/2 (chapter 5).
    const m = Math.expm1(-p1 * a);
    const s = -m / (2 + m);
    const half = 0.5 * (1 - s * s);
    sat[0] = s;
    sat[1] = p1 * half;
    sat[2] = a * half;
    sat[3] = 0;
  };

  // The contribution coordinate (see `MMMCoordinates`): channel c's β is sheared when its prior uses the log
  // bijection. `uCoef` holds the coefficient coordinates (log β in place of log m), in which the priors and
  // their Jacobians are written; `shearGrad` the partial derivatives of log s(ā; θ_sat).
  const sheared = layout.channelStart.map((k) => coordinates === 'contribution' && fast[k].bijection.name === 'log');
  const anySheared = sheared.some(Boolean);
  // The intercept's shear (see `MMMCoordinates`): intercept = v₀ − Σ_c κ_c m_c over the sheared channels.
  const shearIntercept = anySheared && layout.roles[0] === 'intercept' && fast[0].bijection.name === 'identity';
  const activeShare = prepared.x.map((xc, c) => {
    let sum = 0;
    for (let t = 0; t < T; t++) sum += xc[t];
    return sum / T / layout.referenceSpend[c];
  });
  const uCoef = new Float64Array(D);
  const shearGrad = new Float64Array(2 * C);
  const satIndex = (c: number) => layout.channelStart[c] + 1 + A;

  /** log s(ā_c; θ_sat) of channel c, with ∂/∂θ_sat written into shearGrad[2c], shearGrad[2c + 1]. */
  const logReferenceSaturation = (c: number, p1: number, p2: number): number => {
    const a = layout.referenceSpend[c];
    if (hill) {
      // s = ā^h/(ā^h + K^h), so log s = −log(1 + (K/ā)^h) = −softplus(h log(K/ā)).
      const logRatio = Math.log(p1 / a);
      const z = p2 * logRatio;
      const sigmoid = logistic(z);
      shearGrad[2 * c] = (-sigmoid * p2) / p1;
      shearGrad[2 * c + 1] = -sigmoid * logRatio;
      return -softplus(z);
    }
    // s = tanh(λā/2), so d log s/dλ = (ā/2)(1/s − s).
    const s = Math.tanh(0.5 * p1 * a);
    shearGrad[2 * c] = 0.5 * a * (1 / s - s);
    shearGrad[2 * c + 1] = 0;
    return Math.log(s);
  };

  const constrainInto = (u: ArrayLike<number>, out: Float64Array): void => {
    for (let j = 0; j < D; j++) {
      out[j] = fast[j].bijection.forward(u[j]);
      uCoef[j] = u[j];
    }
    if (!anySheared) return;
    for (let c = 0; c < C; c++) {
      if (!sheared[c]) continue;
      const k = layout.channelStart[c];
      const s = satIndex(c);
      // log β = log m − log s(ā; θ_sat): the saturation's parameters are already constrained above.
      uCoef[k] = u[k] - logReferenceSaturation(c, out[s], hill ? out[s + 1] : 0);
      out[k] = Math.exp(uCoef[k]);
      if (shearIntercept) uCoef[0] -= activeShare[c] * Math.exp(u[k]);
    }
    if (shearIntercept) out[0] = uCoef[0];
  };

  /**
   * Delayed and Weibull channels: the lag weights w_l(ω) and ∂w_l/∂ω (normalized by the quotient rule), then
   * the direct convolution a_t = Σ_{l<L} w_l x_{t−l} with ∂a_t/∂ω_k = Σ_l ∂w_l/∂ω_k x_{t−l}, O(T·L). False
   * when the weights cannot be normalized (they sum to 0 or overflow): the density is then −∞.
   */
  const convolveChannel = (c: number, p: number, q: number): boolean => {
    const wc = weights[c];
    if (kind === 'delayed') delayedWeightsInto(p, q, wc.w, wc.dw, wc.dw2);
    else weibullWeightsInto(p, q, weibullKind, wc.w, wc.dw, wc.dw2, normalize);
    if (normalize) {
      const sum = normalizeWeightsInPlace(wc.w, wc.derivatives);
      if (!(sum > 0 && sum < Infinity)) return false;
    }
    const w = wc.w;
    const dw = wc.dw;
    const dw2 = wc.dw2;
    for (let l = 0; l < L; l++) if (!Number.isFinite(w[l] + dw[l] + dw2[l])) return false;
    const xc = x[c];
    const a = adstocked[c];
    const da = dAdstocked[c];
    const da2 = dAdstocked2[c];
    for (let t = 0; t < T; t++) {
      const lags = t + 1 < L ? t + 1 : L;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (let l = 0; l < lags; l++) {
        const v = xc[t - l];
        s0 += w[l] * v;
        s1 += dw[l] * v;
        s2 += dw2[l] * v;
      }
      a[t] = s0;
      da[t] = s1;
      da2[t] = s2;
    }
    return true;
  };

  /** Saturated column of channel c from its adstock, with ∂s/∂a and ∂s/∂(saturation parameters); adds β s to μ. */
  const saturateChannel = (c: number, beta: number, p1: number, p2: number): void => {
    const a = adstocked[c];
    const sc = saturated[c];
    const ga = sA[c];
    const g1 = sP1[c];
    const g2 = sP2[c];
    if (hill) {
      for (let t = 0; t < T; t++) {
        saturate(a[t], p1, p2);
        sc[t] = sat[0];
        ga[t] = sat[1];
        g1[t] = sat[2];
        g2[t] = sat[3];
        mu[t] += beta * sat[0];
      }
      return;
    }
    // The logistic as in the geometric path: exp where λa is large enough, expm1 where 1 − e loses digits.
    for (let t = 0; t < T; t++) {
      const acc = a[t];
      if (acc === 0) {
        // No spend within the window (a pulsed channel is off most weeks): s = 0, ∂s/∂a = λ/2, ∂s/∂λ = 0,
        // exactly what the general path gives, without its exp.
        sc[t] = 0;
        ga[t] = p1 * 0.5;
        g1[t] = 0;
        continue;
      }
      const z = p1 * acc;
      let st: number;
      if (z > 1e-3) {
        const e = Math.exp(-z);
        st = (1 - e) / (1 + e);
      } else {
        const m = Math.expm1(-z);
        st = -m / (2 + m);
      }
      const half = 0.5 * (1 - st * st);
      sc[t] = st;
      ga[t] = p1 * half;
      g1[t] = acc * half;
      mu[t] += beta * st;
    }
  };

  /** μ and the stored columns under θ (in `theta`); false when a channel's lag weights cannot be formed. */
  const forwardPass = (th: ArrayLike<number>): boolean => {
    mu.fill(0);
    for (let j = 0; j < P; j++) {
      const gamma = th[j];
      const col = j * T;
      const rows = sparseRows[j];
      if (onesColumn[j]) {
        for (let t = 0; t < T; t++) mu[t] += gamma;
      } else if (rows !== null) {
        for (let i = 0; i < rows.length; i++) mu[rows[i]] += Xt[col + rows[i]] * gamma;
      } else {
        for (let t = 0; t < T; t++) mu[t] += Xt[col + t] * gamma;
      }
    }
    for (let c = 0; c < C; c++) {
      const k = layout.channelStart[c];
      const beta = th[k];
      const p1 = th[k + 1 + A];
      const p2 = hill ? th[k + 2 + A] : 0;
      if (!geometric) {
        if (!convolveChannel(c, th[k + 1], th[k + 2])) return false;
        saturateChannel(c, beta, p1, p2);
        continue;
      }
      const alpha = th[k + 1];
      // The lag weights themselves are needed only by lift tests (liftTerm).
      if (lifts.length > 0) geometricWeights(alpha, normalize, weights[c].w, weights[c].dw);
      // The truncated geometric adstock by recursion, O(T) instead of O(T·L): with r_t = x_t + α r_{t−1},
      // Σ_{l<L} α^l x_{t−l} = r_t − α^L r_{t−L}, and with q_t = ∂r_t/∂α = r_{t−1} + α q_{t−1} its derivative
      // is q_t − (L α^{L−1} r_{t−L} + α^L q_{t−L}); normalizing divides by S = Σ_{l<L} α^l (quotient rule).
      // Powers by running products (as geometricWeights), not Math.pow: the same values to rounding, cheaper.
      let S = 0;
      let dS = 0;
      let power = 1; // α^l
      let previous = 0; // α^(l−1)
      for (let l = 0; l < L; l++) {
        S += power;
        dS += l * previous;
        previous = power;
        power *= alpha;
      }
      const alphaL = power;
      const dAlphaL = L * previous;
      const invS = normalize ? 1 / S : 1;
      const xc = x[c];
      const a = adstocked[c];
      const da = dAdstocked[c];
      const r = recursion[c];
      const q = recursionGrad[c];
      let rPrev = 0;
      let qPrev = 0;
      for (let t = 0; t < T; t++) {
        const qt = rPrev + alpha * qPrev;
        const rt = xc[t] + alpha * rPrev;
        r[t] = rt;
        q[t] = qt;
        rPrev = rt;
        qPrev = qt;
        let u = rt;
        let du = qt;
        if (t >= L) {
          u -= alphaL * r[t - L];
          du -= dAlphaL * r[t - L] + alphaL * q[t - L];
        }
        const acc = u * invS;
        a[t] = acc;
        da[t] = normalize ? (du - acc * dS) * invS : du;
      }
      // A second pass over the (cached) columns: the same operations per week as a fused loop, so the same numbers.
      saturateChannel(c, beta, p1, p2);
    }
    return true;
  };

  /** Predicted lift (scaled units) of test k under θ; with `upstream` ≠ 0, adds upstream·∂/∂θ into gTheta. */
  const liftTerm = (th: ArrayLike<number>, test: PreparedLiftTest, upstream: number): number => {
    const c = test.channel;
    const k = layout.channelStart[c];
    const beta = th[k];
    const p1 = th[k + 1 + A];
    const p2 = hill ? th[k + 2 + A] : 0;
    const wc = weights[c];
    const a = adstocked[c];
    const da = dAdstocked[c];
    const da2 = geometric ? da : dAdstocked2[c];
    let total = 0;
    let gBeta = 0;
    let gAlpha = 0;
    let gAlpha2 = 0;
    let gP1 = 0;
    let gP2 = 0;
    let cumW = 0;
    let cumDw = 0;
    let cumDw2 = 0;
    for (let t = test.first; t <= test.last; t++) {
      // The extra spend of weeks first..t reaches week t through lags 0..t−first (within the window).
      const lag = t - test.first;
      if (lag < L) {
        cumW += wc.w[lag];
        cumDw += wc.dw[lag];
        cumDw2 += wc.dw2[lag];
      }
      const aNew = a[t] + test.delta * cumW;
      const daNew = da[t] + test.delta * cumDw;
      const da2New = da2[t] + test.delta * cumDw2;
      saturate(a[t], p1, p2);
      const s0 = sat[0];
      const s0a = sat[1];
      const s01 = sat[2];
      const s02 = sat[3];
      saturate(aNew, p1, p2);
      total += sat[0] - s0;
      if (upstream !== 0) {
        gBeta += sat[0] - s0;
        gAlpha += sat[1] * daNew - s0a * da[t];
        gAlpha2 += sat[1] * da2New - s0a * da2[t];
        gP1 += sat[2] - s01;
        gP2 += sat[3] - s02;
      }
    }
    if (upstream !== 0) {
      gTheta[k] += upstream * gBeta;
      gTheta[k + 1] += upstream * beta * gAlpha;
      if (!geometric) gTheta[k + 2] += upstream * beta * gAlpha2;
      gTheta[k + 1 + A] += upstream * beta * gP1;
      if (hill) gTheta[k + 2 + A] += upstream * beta * gP2;
    }
    return beta * total;
  };

  const logDensityGradient = (u: Float64Array, gradient: Float64Array): number => {
    constrainInto(u, theta);
    let lp = 0;
    // Priors on θ and the log-Jacobians of θ = forward(u).
    for (let j = 0; j < D; j++) {
      const f = fast[j];
      const v = theta[j];
      if (v > upper[j]) return -Infinity; // the truncated prior of the delayed adstock's peak
      const kernel = f.family.logKernel(v, f.a, f.b, f.c);
      if (!(kernel > -Infinity)) return -Infinity;
      lp += f.normalizer + kernel + f.bijection.logAbsJacobian(uCoef[j]);
      f.family.gradLogKernel(v, f.a, f.b, f.c, kernelGrad);
      gTheta[j] = kernelGrad[0];
    }
    if (!forwardPass(theta)) return -Infinity;
    // Likelihood and ∂/∂μ_t.
    const sigma = theta[layout.sigma];
    let gSigma = 0;
    if (!studentT) {
      const inv = 1 / sigma;
      let ss = 0;
      for (let t = 0; t < T; t++) {
        const r = y[t] - mu[t];
        ss += r * r;
        gMu[t] = r * inv * inv;
      }
      lp += -T * Math.log(sigma) - 0.5 * ss * inv * inv - 0.5 * T * Math.log(2 * Math.PI);
      gSigma = -T * inv + ss * inv * inv * inv;
    } else {
      const nu = theta[layout.nu];
      const s2 = sigma * sigma;
      let sumLog = 0;
      let gNu = 0;
      for (let t = 0; t < T; t++) {
        const r = y[t] - mu[t];
        const q = nu * s2 + r * r;
        const l1 = Math.log1p((r * r) / (nu * s2));
        sumLog += l1;
        gMu[t] = ((nu + 1) * r) / q;
        gSigma += -1 / sigma + ((nu + 1) * r * r) / (sigma * q);
        gNu += -0.5 * l1 + (0.5 * (nu + 1) * r * r) / (nu * q);
      }
      lp += T * (logGamma(0.5 * (nu + 1)) - logGamma(0.5 * nu) - 0.5 * Math.log(nu * Math.PI) - Math.log(sigma)) - 0.5 * (nu + 1) * sumLog;
      gNu += T * (0.5 * digamma(0.5 * (nu + 1)) - 0.5 * digamma(0.5 * nu) - 0.5 / nu);
      gTheta[layout.nu] += gNu;
    }
    gTheta[layout.sigma] += gSigma;
    // Backward through the baseline and the media columns.
    for (let j = 0; j < P; j++) {
      let s = 0;
      const col = j * T;
      const rows = sparseRows[j];
      if (onesColumn[j]) {
        for (let t = 0; t < T; t++) s += gMu[t];
      } else if (rows !== null) {
        for (let i = 0; i < rows.length; i++) s += Xt[col + rows[i]] * gMu[rows[i]];
      } else {
        for (let t = 0; t < T; t++) s += Xt[col + t] * gMu[t];
      }
      gTheta[j] += s;
    }
    for (let c = 0; c < C; c++) {
      const k = layout.channelStart[c];
      const beta = theta[k];
      const sc = saturated[c];
      const ga = sA[c];
      const da = dAdstocked[c];
      const da2 = geometric ? da : dAdstocked2[c];
      const g1 = sP1[c];
      const g2 = sP2[c];
      let gBeta = 0;
      let gAlpha = 0;
      let gAlpha2 = 0;
      let gP1 = 0;
      let gP2 = 0;
      for (let t = 0; t < T; t++) {
        const g = gMu[t];
        const gs = g * ga[t];
        gBeta += g * sc[t];
        gAlpha += gs * da[t];
        gAlpha2 += gs * da2[t];
        gP1 += g * g1[t];
        gP2 += g * g2[t];
      }
      gTheta[k] += gBeta;
      gTheta[k + 1] += beta * gAlpha;
      if (!geometric) gTheta[k + 2] += beta * gAlpha2;
      gTheta[k + 1 + A] += beta * gP1;
      if (hill) gTheta[k + 2 + A] += beta * gP2;
    }
    // Lift tests: lift ~ Normal(targetScale · predicted, se).
    for (let i = 0; i < lifts.length; i++) {
      const test = lifts[i];
      const se = test.test.standardError;
      const predicted = targetScale * liftTerm(theta, test, 0);
      const z = (test.test.lift - predicted) / se;
      lp += -0.5 * z * z - Math.log(se) - 0.5 * Math.log(2 * Math.PI);
      liftTerm(theta, test, (targetScale * z) / se);
    }
    // Chain rule to the coefficient coordinates: ∂/∂u_j = ∂/∂θ_j · dθ_j/du_j + d log|J|/du_j.
    for (let j = 0; j < D; j++) {
      const b = fast[j].bijection;
      gradient[j] = gTheta[j] * b.derivative(uCoef[j]) + b.gradLogAbsJacobian(uCoef[j]);
    }
    // Then through the shears (transposed Jacobian): with log β = log m − log s(ā; θ_sat(u_sat)), each
    // saturation coordinate gains −∂/∂log β · ∂ log s/∂θ_sat · dθ_sat/du_sat; with intercept = v₀ − Σ κ_c m_c,
    // log m_c gains −∂/∂intercept · κ_c m_c. Both shears have a unit Jacobian: no log-determinant term.
    if (anySheared) {
      const gIntercept = gradient[0];
      for (let c = 0; c < C; c++) {
        if (!sheared[c]) continue;
        const k = layout.channelStart[c];
        const gLogBeta = gradient[k];
        const s = satIndex(c);
        gradient[s] -= gLogBeta * shearGrad[2 * c] * fast[s].bijection.derivative(u[s]);
        if (hill) gradient[s + 1] -= gLogBeta * shearGrad[2 * c + 1] * fast[s + 1].bijection.derivative(u[s + 1]);
        if (shearIntercept) gradient[k] -= gIntercept * activeShare[c] * Math.exp(u[k]);
      }
    }
    return lp;
  };

  return {
    dimension: D,
    parameterNames: layout.names,
    layout,
    logDensityGradient,
    constrain(u: Float64Array) {
      const out = new Float64Array(D);
      constrainInto(u, out);
      return out;
    },
    coordinates,
    parameters(u: Float64Array) {
      const out = new Float64Array(D);
      constrainInto(u, out);
      return out;
    },
    unconstrain(th: ArrayLike<number>) {
      if (!th || th.length !== D) throw new InvalidInputError('theta', `expected ${D} parameters, got ${th?.length}`);
      const out = Float64Array.from({ length: D }, (_, j) => fast[j].bijection.inverse(th[j]));
      for (let c = 0; c < C; c++) {
        if (!sheared[c]) continue;
        const s = satIndex(c);
        const k = layout.channelStart[c];
        out[k] += logReferenceSaturation(c, th[s], hill ? th[s + 1] : 0);
        if (shearIntercept) out[0] += activeShare[c] * Math.exp(out[k]);
      }
      return out;
    },
    forward(th: ArrayLike<number>) {
      if (!forwardPass(th)) throw new InvalidInputError('theta', 'the adstock weights under these parameters sum to 0 or overflow and cannot be normalized');
      return { mu: Float64Array.from(mu), saturated: saturated.map((s) => Float64Array.from(s)) };
    },
    predictedLifts(th: ArrayLike<number>) {
      if (!forwardPass(th)) throw new InvalidInputError('theta', 'the adstock weights under these parameters sum to 0 or overflow and cannot be normalized');
      return Float64Array.from(lifts, (test) => targetScale * liftTerm(th, test, 0));
    },
  };
}
