/**
 * Natural direct and indirect effects by the mediation formula (Pearl 2001; Imai, Keele & Tingley 2010),
 * for models in which the outcome responds to the mediator nonlinearly, where a·b no longer means
 * anything:
 *   NDE = E[Y(x₁, M(x₀))] − E[Y(x₀, M(x₀))],  NIE = E[Y(x₁, M(x₁))] − E[Y(x₁, M(x₀))],  TE = NDE + NIE,
 * the expectations over the mediator's distribution given the treatment, computed by simulation.
 * Taught in the chapter "Learning causal structure".
 */
import { InvalidInputError } from '../../errors';
import { matrix, ols } from '../../linalg/index';
import { resampleIndices, standardNormal, toRng, type Rng } from '../../random/index';
import { quantile } from '../../stats/index';
import {
  checkBootstrapOptions, effectInterval, readMediationData, type EffectInterval, type MediationData,
} from './linear';

export interface MediationModel {
  /** Draws a mediator value given treatment x. */
  drawMediator(x: number, rng: Rng): number;
  /** E[Y | X = x, M = m]. */
  meanOutcome(x: number, m: number): number;
}

export interface NaturalEffects {
  readonly direct: number;
  readonly indirect: number;
  readonly total: number;
}

/**
 * The natural direct, indirect and total effects of moving the treatment from x0 to x1 under a given
 * model, by Monte Carlo over `draws` mediator values (common random numbers across the four terms).
 * Taught in the chapter "Learning causal structure".
 */
export function mediationFormula(
  model: MediationModel, options: { x0: number; x1: number; draws?: number; seed: number | string | Rng },
): NaturalEffects {
  const { x0, x1, draws = 10000 } = options;
  if (!Number.isFinite(x0) || !Number.isFinite(x1)) throw new InvalidInputError('x0, x1', 'expected finite treatment levels');
  if (!Number.isInteger(draws) || draws < 1) throw new InvalidInputError('draws', `expected an integer ≥ 1, got ${draws}`);
  const rng = toRng(options.seed);
  let y00 = 0, y10 = 0, y11 = 0;
  for (let k = 0; k < draws; k++) {
    // The same random numbers for M(x0) and M(x1): the difference has far less Monte Carlo noise.
    const r0 = rng.clone();
    const m0 = model.drawMediator(x0, r0);
    const m1 = model.drawMediator(x1, rng);
    y00 += model.meanOutcome(x0, m0);
    y10 += model.meanOutcome(x1, m0);
    y11 += model.meanOutcome(x1, m1);
  }
  const direct = (y10 - y00) / draws, indirect = (y11 - y10) / draws;
  if (!Number.isFinite(direct) || !Number.isFinite(indirect)) throw new InvalidInputError('model', 'returned a non-finite value');
  return { direct, indirect, total: direct + indirect };
}

export interface SaturatingMediationFit {
  /** M = a₀ + a X + N(0, σ²). */
  readonly mediatorIntercept: number;
  readonly a: number;
  readonly mediatorSD: number;
  /** Y = b₀ + c′ X + β Hill(M; κ, s) + error. */
  readonly outcomeIntercept: number;
  readonly direct: number;
  readonly beta: number;
  readonly halfSaturation: number;
  readonly slope: number;
}

export interface SaturatingMediation {
  readonly fit: SaturatingMediationFit;
  readonly x0: number;
  readonly x1: number;
  readonly direct: EffectInterval;
  readonly indirect: EffectInterval;
  readonly total: EffectInterval;
  readonly level: number;
  readonly bootstrap: number;
  readonly warnings: string[];
}

function hill(m: number, k: number, s: number): number {
  return m > 0 ? 1 / (1 + Math.pow(k / m, s)) : 0;
}

/**
 * Least squares of Y on [1, X, h] over the given rows, by the 3 × 3 normal equations solved with partial
 * pivoting (the grid search calls it hundreds of times per bootstrap resample).
 */
function outcomeFit(x: Float64Array, h: Float64Array, y: Float64Array, rows: ArrayLike<number>): { coef: number[]; rss: number } | null {
  let n = 0, sx = 0, sh = 0, sxx = 0, sxh = 0, shh = 0, sy = 0, sxy = 0, shy = 0;
  for (let r = 0; r < rows.length; r++) {
    const t = rows[r];
    const xv = x[t], hv = h[t], yv = y[t];
    n++; sx += xv; sh += hv; sxx += xv * xv; sxh += xv * hv; shh += hv * hv;
    sy += yv; sxy += xv * yv; shy += hv * yv;
  }
  const M = [[n, sx, sh, sy], [sx, sxx, sxh, sxy], [sh, sxh, shh, shy]];
  const scale = n + sxx + shh;
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (!(Math.abs(M[p][c]) > 1e-10 * scale)) return null;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < 3; r++) {
      const f = M[r][c] / M[c][c];
      for (let q = c; q < 4; q++) M[r][q] -= f * M[c][q];
    }
  }
  const coef = [0, 0, 0];
  for (let c = 2; c >= 0; c--) {
    let v = M[c][3];
    for (let q = c + 1; q < 3; q++) v -= M[c][q] * coef[q];
    coef[c] = v / M[c][c];
  }
  // RSS from the residuals themselves (the sums-of-squares shortcut cancels badly when the fit is good).
  let rss = 0;
  for (let r = 0; r < rows.length; r++) {
    const t = rows[r];
    const e = y[t] - coef[0] - coef[1] * x[t] - coef[2] * h[t];
    rss += e * e;
  }
  return { coef, rss };
}

interface HillGrid { readonly k: number; readonly s: number; readonly h: Float64Array }

function fitSaturating(x: Float64Array, m: Float64Array, y: Float64Array, rows: ArrayLike<number>, grid: readonly HillGrid[]): SaturatingMediationFit | null {
  const n = rows.length;
  const X = matrix(n, 2), mm = new Float64Array(n);
  for (let r = 0; r < n; r++) { X.data[2 * r] = 1; X.data[2 * r + 1] = x[rows[r]]; mm[r] = m[rows[r]]; }
  let fm;
  try { fm = ols(X, mm, { refine: false }); } catch { return null; }
  let best: { coef: number[]; rss: number; k: number; s: number } | null = null;
  // Profile least squares: for each (κ, s) on the grid the outcome model is linear in (b₀, c′, β).
  for (const g of grid) {
    const f = outcomeFit(x, g.h, y, rows);
    if (f && (best === null || f.rss < best.rss)) best = { ...f, k: g.k, s: g.s };
  }
  if (best === null) return null;
  return {
    mediatorIntercept: fm.coefficients[0], a: fm.coefficients[1], mediatorSD: fm.residualSD,
    outcomeIntercept: best.coef[0], direct: best.coef[1], beta: best.coef[2], halfSaturation: best.k, slope: best.s,
  };
}

function effectsOf(f: SaturatingMediationFit, x0: number, x1: number, draws: number, seed: Rng): NaturalEffects {
  return mediationFormula({
    drawMediator: (x, rng) => f.mediatorIntercept + f.a * x + f.mediatorSD * standardNormal(rng),
    meanOutcome: (x, m) => f.outcomeIntercept + f.direct * x + f.beta * hill(m, f.halfSaturation, f.slope),
  }, { x0, x1, draws, seed });
}

/**
 * Fits a linear-Gaussian mediator model M = a₀ + aX + N(0, σ²) and a saturating outcome model
 * Y = b₀ + c′X + β·Hill(M; κ, s) (κ and s by profile least squares over a grid: κ at 40 quantiles of M
 * between its 2nd and 98th percentiles, s in `slopes`), then the natural direct and indirect effects of
 * moving X from x0 to x1 by the mediation formula, with percentile bootstrap intervals (rows resampled,
 * everything refitted). Taught in the chapter "Learning causal structure".
 */
export function saturatingMediation(
  data: MediationData,
  options: { x0: number; x1: number; seed: number | string | Rng; bootstrap?: number; level?: number; draws?: number; slopes?: readonly number[] },
): SaturatingMediation {
  const { x0, x1, bootstrap = 200, level = 0.95, draws = 2000, slopes = [0.5, 1, 1.5, 2, 2.5, 3, 4] } = options;
  checkBootstrapOptions(bootstrap, level);
  if (slopes.length === 0 || slopes.some((s) => !(s > 0))) throw new InvalidInputError('slopes', 'expected positive Hill slopes');
  const { x, m, y } = readMediationData(data, 10);
  for (let t = 0; t < m.length; t++) if (m[t] < 0) throw new InvalidInputError('data.mediator', `value ${t} is ${m[t]}; a saturating mediator must be non-negative`);
  const rng = toRng(options.seed);
  const kGrid: number[] = [];
  for (let q = 0; q < 40; q++) kGrid.push(quantile(m, 0.02 + (0.96 * q) / 39));
  const grid: HillGrid[] = [];
  for (const s of slopes) for (const k of kGrid) grid.push({ k, s, h: m.map((v) => hill(v, k, s)) });
  const all = Array.from({ length: x.length }, (_, t) => t);
  const fit = fitSaturating(x, m, y, all, grid);
  if (fit === null) throw new InvalidInputError('data', 'the outcome model is singular on every grid point (is the treatment or the mediator constant?)');
  const warnings: string[] = [];
  const top = kGrid[kGrid.length - 1], bottom = kGrid[0];
  if (fit.halfSaturation === top || fit.halfSaturation === bottom) warnings.push(`data.mediator: the half-saturation sits at the edge of its grid (${fit.halfSaturation.toPrecision(3)}); the curve is barely identified`);
  const point = effectsOf(fit, x0, x1, draws, rng.clone());
  const reps: NaturalEffects[] = [];
  let failed = 0;
  for (let b = 0; b < bootstrap; b++) {
    const rows = resampleIndices(rng, x.length);
    const f = fitSaturating(x, m, y, rows, grid);
    if (f === null) { failed++; continue; }
    reps.push(effectsOf(f, x0, x1, draws, rng.clone()));
  }
  if (failed > 0) warnings.push(`bootstrap: ${failed} of ${bootstrap} resamples had a singular design and were skipped`);
  if (reps.length < 2) throw new InvalidInputError('data', 'almost every bootstrap resample was singular');
  return {
    fit, x0, x1,
    direct: effectInterval(point.direct, reps.map((r) => r.direct), level),
    indirect: effectInterval(point.indirect, reps.map((r) => r.indirect), level),
    total: effectInterval(point.total, reps.map((r) => r.total), level),
    level, bootstrap, warnings,
  };
}
