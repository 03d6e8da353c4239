/**
 * Autocovariance by the fast Fourier transform, and the effective sample size of a set of chains by
 * Geyer's initial monotone sequence estimator, as Stan, the `posterior` R package and ArviZ compute it
 * (Vehtari, Gelman, Simpson, Carpenter and Bürkner 2021, "Rank-normalization, folding, and
 * localization: an improved R-hat", §3.2; Geyer 1992). Taught in the chapter "Diagnostics".
 */

/**
 * cos and sin of −2πk/n for k < n/2, one table per transform length (kept: diagnostics call the FFT
 * thousands of times with the same few lengths). A table is both faster and more accurate than the
 * rotation recurrence w ← w·w₁, whose rounding errors accumulate along each butterfly group.
 */
const twiddles = new Map<number, { cos: Float64Array; sin: Float64Array }>();
function twiddleTable(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = twiddles.get(n);
  if (!t) {
    const half = n >> 1;
    t = { cos: new Float64Array(half), sin: new Float64Array(half) };
    for (let k = 0; k < half; k++) {
      t.cos[k] = Math.cos((-2 * Math.PI * k) / n);
      t.sin[k] = Math.sin((-2 * Math.PI * k) / n);
    }
    twiddles.set(n, t);
  }
  return t;
}

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
  const table = twiddleTable(n);
  const sign = inverse ? -1 : 1;
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const stride = n / size; // w_size^k = w_n^(k·stride)
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const cr = table.cos[k * stride];
        const ci = sign * table.sin[k * stride];
        const a = start + k;
        const b = a + half;
        const tr = re[b] * cr - im[b] * ci;
        const ti = re[b] * ci + im[b] * cr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

function paddedLength(n: number): number {
  let m = 1;
  while (m < 2 * n) m <<= 1;
  return m;
}

/**
 * The biased autocovariance γ̂_k = (1/n) Σ_{t<n-k} (x_t − x̄)(x_{t+k} − x̄), k = 0..n-1, computed by
 * FFT on a zero-padded copy (length ≥ 2n, so that the circular correlation equals the linear one).
 */
export function autocovariance(x: ArrayLike<number>): Float64Array {
  return autocovariancePair(x, undefined)[0];
}

/**
 * The autocovariances of two real series of the same length n with one complex FFT and one inverse
 * instead of two each: transform z = x + i y; then X_k = (Z_k + conj Z_{m−k})/2 and
 * Y_k = (Z_k − conj Z_{m−k})/(2i), so |X_k|² = |Z_k + conj Z_{m−k}|²/4 and |Y_k|² = |Z_k − conj Z_{m−k}|²/4;
 * both power spectra are real and even, so the inverse transform of |X|² + i|Y|² is γ_x + i γ_y.
 * With `y` undefined, the second result is absent. Chapter "Diagnostics".
 */
export function autocovariancePair(x: ArrayLike<number>, y: ArrayLike<number> | undefined): Float64Array[] {
  const n = x.length;
  const m = paddedLength(n);
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  let mx = 0;
  for (let i = 0; i < n; i++) mx += x[i];
  mx /= n;
  for (let i = 0; i < n; i++) re[i] = x[i] - mx;
  if (y !== undefined) {
    let my = 0;
    for (let i = 0; i < n; i++) my += y[i];
    my /= n;
    for (let i = 0; i < n; i++) im[i] = y[i] - my;
  }
  fft(re, im, false);
  if (y === undefined) {
    for (let i = 0; i < m; i++) {
      re[i] = re[i] * re[i] + im[i] * im[i];
      im[i] = 0;
    }
  } else {
    // Pairs (k, m − k) are read before either is overwritten; k = 0 and k = m/2 pair with themselves.
    for (let k = 0; k <= m >> 1; k++) {
      const j = (m - k) & (m - 1);
      const zr = re[k], zi = im[k], wr = re[j], wi = im[j];
      // X_k = ((zr + wr) + i (zi − wi))/2, Y_k = ((zi + wi) − i (zr − wr))/2 (and the same at m − k).
      const px = ((zr + wr) * (zr + wr) + (zi - wi) * (zi - wi)) / 4;
      const py = ((zi + wi) * (zi + wi) + (zr - wr) * (zr - wr)) / 4;
      re[k] = px;
      im[k] = py;
      re[j] = px;
      im[j] = py;
    }
  }
  fft(re, im, true);
  const gx = new Float64Array(n);
  for (let k = 0; k < n; k++) gx[k] = re[k] / m / n;
  if (y === undefined) return [gx];
  const gy = new Float64Array(n);
  for (let k = 0; k < n; k++) gy[k] = im[k] / m / n;
  return [gx, gy];
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
  // Two chains per complex FFT (see `autocovariancePair`).
  const acovs: Float64Array[] = [];
  for (let j = 0; j < m; j += 2) acovs.push(...autocovariancePair(chains[j], j + 1 < m ? chains[j + 1] : undefined));
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
