// The restricted wild cluster bootstrap (WCR) against an independent implementation in R
// (test/fixtures/wild_cluster_bootstrap/make_fixture.R: lm() refits and sandwich::vcovCL for each of the
// 2^8 = 256 Rademacher sign vectors). References and tolerances:
// - the CR1 Wald statistic: vcovCL(type = "HC1"), 1e-10 relative (both are double-precision least squares
//   on well-conditioned designs; the covariances agree to ~1e-13);
// - each enumerated bootstrap statistic: 1e-9 relative (R refits 256 times, we use the O(G²q) algebra of
//   Roodman et al. 2019; the R script records the smallest gap between W and any non-identity statistic,
//   0.0177 and 0.0073 relative, so rounding cannot change the count);
// - the enumerated p-value: exactly (it is a count over the same 256 vectors).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DimensionMismatchError, InvalidInputError, SingularMatrixError } from '../../../src/errors';
import { eventStudy, linearFit, wildClusterBootstrap, wildClusterBootstrapWithFit } from '../../../src/causal/estimators/index';
import { designMatrix } from '../../../src/causal/estimators/regression';
import { matrix } from '../../../src/linalg/index';
import { parseCsv } from '../../../src/data/index';

const dir = resolve(__dirname, '..', '..', 'fixtures', 'wild_cluster_bootstrap');
const ref = JSON.parse(readFileSync(resolve(dir, 'reference.json'), 'utf8'));
function read(name: string) {
  return parseCsv(readFileSync(resolve(dir, name), 'utf8'));
}
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

const cs = read('crosssection.csv');
const csX = designMatrix(['x1', 'x2', 'x3'].map((c) => Float64Array.from(cs.columns[c] as number[])));
const csY = Float64Array.from(cs.columns.y as number[]);
const csClusters = (cs.columns.cluster as string[]).map(String);
const csOptions = { clusters: csClusters, restrictions: ref.crossSection.restrictions as number[][], values: ref.crossSection.values as number[] };
const panel = read('panel.csv');
const rows = Array.from({ length: panel.rows }, (_, i) => ({ unit: String(panel.columns.unit[i]), period: panel.columns.period[i] as number, y: panel.columns.y[i] as number }));

describe('wildClusterBootstrap against R (lm + sandwich::vcovCL, full enumeration)', () => {
  it('CR1 convention: our "stata" adjustment is vcovCL(type = "HC1"), G/(G − 1)·(n − 1)/(n − K)', () => {
    const fit = linearFit(csX, csY, { clusters: csClusters, clusterAdjustment: 'stata' });
    const V: number[][] = ref.crossSection.vcovHC1;
    let worst = 0;
    V.forEach((row, i) => row.forEach((v, j) => { worst = Math.max(worst, rel(fit.covariance.data[i * 4 + j], v)); }));
    expect(worst).toBeLessThan(1e-10);
    const G = 8, n = ref.crossSection.n, K = ref.crossSection.K;
    expect(G / (G - 1) * (n - 1) / (n - K)).toBeCloseTo(ref.crossSection.adjustmentHC1, 14);
  });

  it('cross-section, 8 unequal clusters, H0: b1 = 0.5, b2 = 0 (r ≠ 0)', () => {
    const res = wildClusterBootstrap(csX, csY, { ...csOptions, replications: 999 });
    expect(rel(res.wald, ref.crossSection.wald)).toBeLessThan(1e-10);
    ref.crossSection.restrictedCoefficients.forEach((b: number, j: number) => expect(res.restrictedCoefficients[j]).toBeCloseTo(b, 10));
    expect(res.enumerated).toBe(true);
    expect(res.replications).toBe(256);
    const stats: number[] = ref.crossSection.bootstrap.statistics;
    let worst = 0;
    stats.forEach((s, k) => { worst = Math.max(worst, rel(res.statistics[k], s)); });
    expect(worst).toBeLessThan(1e-9);
    expect(res.pValue).toBe(ref.crossSection.bootstrap.pValue);
    expect(res.pValue * 256).toBe(ref.crossSection.bootstrap.exceed);
    expect(res.warnings.some((w) => /only 8.*coarse.*webb/i.test(w))).toBe(true);
  });

  it("Webb's six-point weights, all 6^4 = 1296 vectors enumerated (4 clusters, H0: b2 = 0); constant vectors tie with W", () => {
    const keep = csClusters.map((c, i) => (['c1', 'c2', 'c3', 'c4'].indexOf(c) >= 0 ? i : -1)).filter((i) => i >= 0);
    const X = matrix(keep.length, 4, keep.flatMap((i) => Array.from(csX.data.slice(i * 4, i * 4 + 4))));
    const y = Float64Array.from(keep, (i) => csY[i]);
    const options = { clusters: keep.map((i) => csClusters[i]), restrictions: [[0, 0, 1, 0]] };
    const w = wildClusterBootstrap(X, y, { ...options, weights: 'webb', replications: 1296 });
    expect(w.enumerated).toBe(true);
    expect(w.replications).toBe(1296);
    expect(rel(w.wald, ref.webb.wald)).toBeLessThan(1e-10);
    let worst = 0;
    ref.webb.bootstrap.statistics.forEach((s: number, k: number) => { worst = Math.max(worst, rel(w.statistics[k], s)); });
    expect(worst).toBeLessThan(1e-9);
    // The count is exact; R's JSON prints the p-value to 15 digits, so it is compared as count / 1296.
    expect(w.pValue).toBe(ref.webb.bootstrap.exceed / 1296);
    expect(ref.webb.bootstrap.ties).toBe(6);
    expect(w.warnings.some((x) => /only 4.*six-point/.test(x))).toBe(true);
    // The same four clusters with Rademacher signs: 2^4 = 16 vectors.
    const rad = wildClusterBootstrap(X, y, options);
    expect(rad.replications).toBe(16);
    expect(rad.pValue).toBe(ref.webb.rademacher.pValue);
  });

  const es = (extra: object) => eventStudy(rows, { outcome: 'y', unit: 'unit', time: 'period', treatedUnits: ref.panel.treatedUnits, treatmentTime: 5, ...extra });

  it('event-study panel (8 units × 7 periods, unit and time effects): leads jointly zero, q = 3', () => {
    const cr1 = es({ clusterAdjustment: 'stata', preTrendBootstrap: true });
    const pt = cr1.preTrend!;
    expect(cr1.terms.filter((t) => t.relativeTime < 0).map((t) => t.estimate).every((b, j) => rel(b, ref.panel.leadEstimates[j]) < 1e-10)).toBe(true);
    expect(rel(pt.wald, ref.panel.wald)).toBeLessThan(1e-10);
    const boot = pt.wildBootstrap!;
    expect(rel(boot.wald, ref.panel.wald)).toBeLessThan(1e-10);
    expect(boot.enumerated).toBe(true);
    const stats: number[] = ref.panel.bootstrap.statistics;
    let worst = 0;
    stats.forEach((s, k) => { worst = Math.max(worst, rel(boot.statistics[k], s)); });
    expect(worst).toBeLessThan(1e-9);
    expect(pt.wildBootstrapPValue).toBe(ref.panel.bootstrap.pValue);
    expect(boot.pValue * 256).toBe(ref.panel.bootstrap.exceed);
  });

  it("eventStudy's default G/(G − 1) adjustment: F test as vcovCL(HC0, cadjust), same bootstrap p-value (the factor cancels)", () => {
    const pt = es({ preTrendBootstrap: { replications: 999 } }).preTrend!;
    expect(rel(pt.wald, ref.panel.waldClustersAdjustment)).toBeLessThan(1e-10);
    expect(rel(pt.fPValue, ref.panel.fPValueClusters)).toBeLessThan(1e-8);
    expect(pt.pValue).toBe(pt.fPValue);
    expect(pt.wildBootstrapPValue).toBe(ref.panel.bootstrap.pValue);
    // Without the option the bootstrap is not run.
    const plain = es({}).preTrend!;
    expect(plain.wildBootstrapPValue).toBeNull();
    expect(plain.wildBootstrap).toBeNull();
  });
});

describe('wildClusterBootstrap: draws, weights, determinism', () => {
  it('with 2^G > replications it draws; same seed, same numbers bit for bit; another seed differs', () => {
    const a = wildClusterBootstrap(csX, csY, { ...csOptions, replications: 200, seed: 3 });
    const b = wildClusterBootstrap(csX, csY, { ...csOptions, replications: 200, seed: 3 });
    const c = wildClusterBootstrap(csX, csY, { ...csOptions, replications: 200, seed: 4 });
    expect(a.enumerated).toBe(false);
    expect(a.replications).toBe(200);
    expect(Array.from(a.statistics)).toEqual(Array.from(b.statistics));
    expect(a.pValue).toBe(b.pValue);
    expect(Array.from(a.statistics)).not.toEqual(Array.from(c.statistics));
    // Every drawn statistic is one of the 256 enumerated ones (Rademacher draws are sign vectors).
    const all = new Set(Array.from(wildClusterBootstrap(csX, csY, csOptions).statistics).map((s) => s.toPrecision(9)));
    expect(Array.from(a.statistics).every((s) => all.has(s.toPrecision(9)))).toBe(true);
    // Its p-value estimates the enumerated one: 8/256, binomial sd sqrt(p(1 − p)/200) ≈ 0.012; 4 sd.
    expect(Math.abs(a.pValue - ref.crossSection.bootstrap.pValue)).toBeLessThan(0.05);
  });

  it("Webb's six-point weights: 6^8 > 999 so they are drawn; the p-value is near the Rademacher one", () => {
    const w = wildClusterBootstrap(csX, csY, { ...csOptions, weights: 'webb', replications: 999, seed: 1 });
    expect(w.enumerated).toBe(false);
    expect(w.weights).toBe('webb');
    expect(w.warnings.some((x) => /coarse/.test(x))).toBe(false);
    expect(w.pValue).toBeGreaterThan(0);
    expect(w.pValue).toBeLessThan(0.15);
  });

  it('wildClusterBootstrapWithFit reuses a fit: same statistics; W follows the options, not the fit, adjustment', () => {
    const direct = wildClusterBootstrap(csX, csY, csOptions);
    const fit = linearFit(csX, csY, { clusters: csClusters, clusterAdjustment: 'none' });
    const reused = wildClusterBootstrapWithFit(csX, csY, fit, csOptions);
    expect(reused.wald).toBe(direct.wald);
    expect(rel(reused.wald, ref.crossSection.wald)).toBeLessThan(1e-10);
    expect(Array.from(reused.statistics)).toEqual(Array.from(direct.statistics));
    expect(reused.pValue).toBe(direct.pValue);
    expect(() => wildClusterBootstrapWithFit(csX, csY, linearFit(csX, csY), csOptions)).toThrow(DimensionMismatchError);
  });

  it('does not mutate its inputs', () => {
    const X0 = Float64Array.from(csX.data), y0 = Float64Array.from(csY);
    wildClusterBootstrap(csX, csY, { ...csOptions, replications: 50 });
    expect(Array.from(csX.data)).toEqual(Array.from(X0));
    expect(Array.from(csY)).toEqual(Array.from(y0));
  });
});

describe('wildClusterBootstrap: bad input', () => {
  it('fewer than two clusters', () => {
    expect(() => wildClusterBootstrap(csX, csY, { ...csOptions, clusters: csClusters.map(() => 'one') })).toThrow(InvalidInputError);
    expect(() => wildClusterBootstrap(csX, csY, { ...csOptions, clusters: csClusters.map(() => 'one') })).toThrow(/clusters/);
  });
  it('q = 0, a mis-sized R or r, dependent restrictions', () => {
    expect(() => wildClusterBootstrap(csX, csY, { ...csOptions, restrictions: [], values: [] })).toThrow(/q = 0/);
    expect(() => wildClusterBootstrap(csX, csY, { ...csOptions, restrictions: [[0, 1, 0]], values: [0] })).toThrow(DimensionMismatchError);
    expect(() => wildClusterBootstrap(csX, csY, { ...csOptions, values: [0] })).toThrow(DimensionMismatchError);
    expect(() => wildClusterBootstrap(csX, csY, { ...csOptions, restrictions: [[0, 1, 0, 0], [0, 2, 0, 0]], values: [0, 0] })).toThrow(SingularMatrixError);
    expect(() => wildClusterBootstrap(csX, csY, { ...csOptions, restrictions: [[0, NaN, 0, 0]], values: [0] })).toThrow(InvalidInputError);
  });
  it('a rank-deficient design', () => {
    const n = csX.rows;
    const X = matrix(n, 5);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 4; j++) X.data[i * 5 + j] = csX.data[i * 4 + j];
      X.data[i * 5 + 4] = 2 * csX.data[i * 4 + 1];
    }
    expect(() => wildClusterBootstrap(X, csY, { ...csOptions, restrictions: [[0, 0, 1, 0, 0]], values: [0] })).toThrow(SingularMatrixError);
  });
  it('bad replications, weights, cluster labels', () => {
    expect(() => wildClusterBootstrap(csX, csY, { ...csOptions, replications: 0 })).toThrow(/replications/);
    expect(() => wildClusterBootstrap(csX, csY, { ...csOptions, replications: 2.5 })).toThrow(/replications/);
    expect(() => wildClusterBootstrap(csX, csY, { ...csOptions, weights: 'mammen' as never })).toThrow(/weights/);
    expect(() => wildClusterBootstrap(csX, csY, { ...csOptions, clusters: csClusters.slice(1) })).toThrow(DimensionMismatchError);
  });
  it('a non-finite outcome or mis-sized y', () => {
    const bad = Float64Array.from(csY);
    bad[5] = NaN;
    expect(() => wildClusterBootstrap(csX, bad, csOptions)).toThrow(InvalidInputError);
    expect(() => wildClusterBootstrap(csX, csY.slice(1), csOptions)).toThrow(DimensionMismatchError);
  });
  it('eventStudy warns that the bootstrap is unreliable with one or two treated units', () => {
    const one = eventStudy(rows, { outcome: 'y', unit: 'unit', time: 'period', treatedUnits: ['u1'], treatmentTime: 5, preTrendBootstrap: true });
    expect(one.warnings.some((w) => /preTrendBootstrap: 1 treated unit/.test(w))).toBe(true);
    expect(one.preTrend!.wildBootstrapPValue).not.toBeNull();
  });
  it('more restrictions than the clustered covariance can carry (q > G − 1)', () => {
    const few = csClusters.map((c) => (c < 'c4' ? 'a' : 'b'));
    expect(() => wildClusterBootstrap(csX, csY, { clusters: few, restrictions: [[0, 1, 0, 0], [0, 0, 1, 0]] })).toThrow(SingularMatrixError);
  });
});
