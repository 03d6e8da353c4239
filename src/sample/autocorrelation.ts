/**
 * Autocovariance by the fast Fourier transform, and the effective sample size of a set of chains by
 * Geyer's initial monotone sequence estimator, as Stan, the `posterior` R package and ArviZ compute it
 * (Vehtari, Gelman, Simpson, Carpenter and Bürkner 2021, "Rank-normalization, folding, and
 * localization: an improved R-hat", §3.2; Geyer 1992). Taught in the chapter "Diagnostics".
 */

/** In-place iterative radix-2 FFT of (re, im); the length must be a power of two. */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = ((inverse ? 2 : -2) * Math.PI) / size;
    const wr = Math.cos(angle);
    const wi = Math.sin(angle);
    const half = size >> 1;
    for (let start = 0; start < n; start += size) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < half; k++) {
        const a = start + k;
        const b = a + half;
        const tr = re[b] * cr - im[b] * ci;
        const ti = re[b] * ci + im[b] * cr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
        const nextCr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = nextCr;
      }
    }
  }
}

/**
 * The biased autocovariance γ̂_k = (1/n) Σ_{t<n-k} (x_t − x̄)(x_{t+k} − x̄), k = 0..n-1, computed by
 * FFT on a zero-padded copy (length ≥ 2n, so that the circular correlation equals the linear one).
 */
export function autocovariance(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let m = 1;
  while (m < 2 * n) m <<= 1;
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  for (let i = 0; i < n; i++) re[i] = x[i] - mean;
  fft(re, im, false);
  for (let i = 0; i < m; i++) {
    re[i] = re[i] * re[i] + im[i] * im[i];
    im[i] = 0;
  }
  fft(re, im, true);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = re[k] / m / n;
  return out;
}

/** Autocorrelation ρ̂_k = γ̂_k / γ̂_0 of one chain (for plots; `effectiveSampleSize` pools chains). */
export function autocorrelation(x: ArrayLike<number>, maxLag = x.length - 1): Float64Array {
  const acov = autocovariance(x);
  const out = new Float64Array(Math.min(maxLag, x.length - 1) + 1);
  for (let k = 0; k < out.length; k++) out[k] = acov[k] / acov[0];
  return out;
}

/**
 * Effective sample size of m chains of equal length n (already split, if split ESS is wanted):
 * ρ̂_t = 1 − (W − mean_chains γ̂_t) / var⁺ with W the mean within-chain variance and var⁺ the pooled
 * variance estimate; sums of adjacent pairs ρ̂_{2k} + ρ̂_{2k+1} are kept while positive (Geyer's initial
 * positive sequence) and made monotone; then ESS = mn / τ̂ with τ̂ = −1 + 2 Σ_{t<T} ρ̂_t + ρ̂_T, floored at
 * 1/log10(mn) so that antithetic chains cannot report more than mn·log10(mn).
 *
 * Returns NaN when it is undefined: fewer than 3 draws per chain, or draws that do not vary.
 */
export function essOfChains(chains: readonly ArrayLike<number>[]): number {
  const m = chains.length;
  const n = chains[0].length;
  if (n < 3) return NaN;
  const acovs = chains.map(autocovariance);
  const chainMeans = chains.map((c) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i];
    return s / n;
  });
  const meanAcov = (lag: number) => {
    let s = 0;
    for (let j = 0; j < m; j++) s += acovs[j][lag];
    return s / m;
  };
  const meanVar = (meanAcov(0) * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) {
    let grand = 0;
    for (const c of chainMeans) grand += c;
    grand /= m;
    let between = 0;
    for (const c of chainMeans) between += (c - grand) * (c - grand);
    varPlus += between / (m - 1);
  }
  if (!(varPlus > 0)) return NaN;

  const rho = new Float64Array(n);
  let t = 0;
  let rhoEven = 1;
  let rhoOdd = 1 - (meanVar - meanAcov(1)) / varPlus;
  rho[0] = rhoEven;
  rho[1] = rhoOdd;
  // Initial positive sequence: stop at the first pair whose sum is not positive.
  while (t < n - 5 && !Number.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    rhoEven = 1 - (meanVar - meanAcov(t)) / varPlus;
    rhoOdd = 1 - (meanVar - meanAcov(t + 1)) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rho[t] = rhoEven;
      rho[t + 1] = rhoOdd;
    }
  }
  const maxT = t;
  if (rhoEven > 0) rho[maxT] = rhoEven; // the improved (Stan 2.18+) truncation uses this last even lag
  // Initial monotone sequence: no pair sum may exceed the one before it.
  for (t = 2; t <= maxT - 2; t += 2) {
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
      rho[t + 1] = rho[t];
    }
  }
  let sum = 0;
  for (let k = 0; k < Math.max(maxT, 1); k++) sum += rho[k];
  const total = m * n;
  const tau = Math.max(-1 + 2 * sum + rho[maxT], 1 / Math.log10(total));
  return total / tau;
}
