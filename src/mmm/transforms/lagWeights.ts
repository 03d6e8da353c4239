/**
 * The raw (unnormalized) lag weights of the two-parameter adstocks and their derivatives, written into
 * caller-owned arrays so that a hot loop (the Bayesian MMM's log density, chapter 13) computes them without
 * allocating. `./adstock` builds its weights with these same functions, so there is one formula per family.
 *
 * - delayed  u_l = α^{(l−θ)²}                                        (Jin et al. 2017, eq. 2)
 * - weibull  cdf: u_l = exp(−Σ_{i=1}^{l} (i/λ)^k); pdf: u_l = f(l + 1; k, λ)   (Robyn, pymc-marketing)
 *
 * Taught in the chapter "Carryover: adstock" (Part III).
 */

/**
 * Delayed adstock raw weights u_l = α^{(l−θ)²} and ∂u_l/∂α, ∂u_l/∂θ for l < u.length, into `u`, `dAlpha`,
 * `dTheta` (α > 0). Chapter 4.
 */
export function delayedWeightsInto(alpha: number, theta: number, u: Float64Array, dAlpha: Float64Array, dTheta: Float64Array): void {
  const logAlpha = Math.log(alpha);
  for (let l = 0; l < u.length; l++) {
    const d = l - theta;
    const v = Math.pow(alpha, d * d);
    u[l] = v;
    dAlpha[l] = (d * d * v) / alpha; // d/dα α^{d²} = d² α^{d²−1}
    dTheta[l] = -2 * d * logAlpha * v; // d/dθ exp(d² ln α) = −2d ln α · α^{d²}
  }
}

/**
 * Weibull adstock raw weights and ∂u_l/∂k (shape), ∂u_l/∂λ (scale) for l < u.length, into `u`, `dShape`,
 * `dScale` (k, λ > 0). 'cdf': the survival chain u_l = Π_{i≤l} (1 − F(i)), u_0 = 1; 'pdf': the density at
 * l + 1. With `rescaled`, the weights and derivatives are all multiplied by one constant (1/max_l u_l), which
 * leaves the normalized weights and their quotient-rule derivatives unchanged but keeps a density that is
 * tiny at every lag (a scale far below one week) from underflowing to 0/0. A weight that underflows to 0
 * gets derivative 0 (its limit: the exponential wins), not 0·∞ = NaN. Chapter 4.
 */
export function weibullWeightsInto(
  shape: number,
  scale: number,
  kind: 'cdf' | 'pdf',
  u: Float64Array,
  dShape: Float64Array,
  dScale: Float64Array,
  rescaled = false,
): void {
  const L = u.length;
  if (kind === 'cdf') {
    // In logs the survival chain is a plain sum: log u_l = −Σ_{i≤l} (i/λ)^k. Its largest weight is u_0 = 1,
    // so it needs no rescaling.
    let logU = 0;
    let dLogK = 0;
    let dLogS = 0;
    for (let l = 0; l < L; l++) {
      if (l > 0) {
        const z = l / scale;
        const zk = Math.pow(z, shape);
        logU -= zk;
        dLogK -= zk * Math.log(z);
        dLogS += (shape / scale) * zk;
      }
      const v = Math.exp(logU);
      u[l] = v;
      dShape[l] = v === 0 ? 0 : v * dLogK;
      dScale[l] = v === 0 ? 0 : v * dLogS;
    }
    return;
  }
  // log f(t; k, λ) = log(k/λ) + (k − 1) log(t/λ) − (t/λ)^k, t = l + 1 (the density is 0 or ∞ at t = 0);
  // first the logs and their derivatives, then u = exp(log u − shift) and du = u · d log u.
  const logShapeOverScale = Math.log(shape / scale);
  let shift = -Infinity;
  for (let l = 0; l < L; l++) {
    const z = (l + 1) / scale;
    const zk = Math.pow(z, shape);
    const logZ = Math.log(z);
    const logU = logShapeOverScale + (shape - 1) * logZ - zk;
    u[l] = logU;
    dShape[l] = 1 / shape + logZ - zk * logZ;
    dScale[l] = (shape / scale) * (zk - 1);
    if (logU > shift) shift = logU;
  }
  if (!rescaled || !Number.isFinite(shift)) shift = 0;
  for (let l = 0; l < L; l++) {
    const v = Math.exp(u[l] - shift);
    u[l] = v;
    dShape[l] = v === 0 ? 0 : v * dShape[l];
    dScale[l] = v === 0 ? 0 : v * dScale[l];
  }
}

/**
 * Normalizes raw weights in place: w_l = u_l / S with S = Σu, and each derivative array by the quotient
 * rule, dw_l = (du_l − w_l Σ_m du_m)/S. Returns S (the caller decides what a zero or non-finite sum means).
 * Chapter 4.
 */
export function normalizeWeightsInPlace(u: Float64Array, derivatives: readonly Float64Array[]): number {
  let sum = 0;
  for (let l = 0; l < u.length; l++) sum += u[l];
  if (!(sum > 0) || !Number.isFinite(sum)) return sum;
  const inv = 1 / sum;
  for (let l = 0; l < u.length; l++) u[l] *= inv;
  for (let k = 0; k < derivatives.length; k++) {
    const du = derivatives[k];
    let dsum = 0;
    for (let l = 0; l < du.length; l++) dsum += du[l];
    for (let l = 0; l < du.length; l++) du[l] = (du[l] - u[l] * dsum) * inv;
  }
  return sum;
}
