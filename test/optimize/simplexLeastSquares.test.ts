// simplexLeastSquares (Wolfe's minimum-norm point) against closed forms, the KKT conditions of the convex
// problem, and kernlab::ipop's solution of synthetic control's inner problem (references.json).
import { describe, expect, it } from 'vitest';
import { simplexLeastSquares } from '../../src/optimize/simplexLeastSquares';
import { DimensionMismatchError, InvalidInputError } from '../../src/errors';
import { createRng, standardNormals } from '../../src/random/index';
import { references as ref, readRecords } from '../causal/estimators/data';

describe('simplexLeastSquares', () => {
  it('a point inside a triangle: its barycentric coordinates, residual 0', () => {
    const r = simplexLeastSquares([[0, 1, 0], [0, 0, 1]], [0.2, 0.3]);
    expect(Array.from(r.x)).toEqual([expect.closeTo(0.5, 12), expect.closeTo(0.2, 12), expect.closeTo(0.3, 12)]);
    expect(r.value).toBeLessThan(1e-24);
  });
  it('a point beyond a segment: the orthogonal projection onto it', () => {
    const r = simplexLeastSquares([[0, 1], [0, 0]], [0.3, 1]);
    expect(r.x[0]).toBeCloseTo(0.7, 12);
    expect(r.x[1]).toBeCloseTo(0.3, 12);
    expect(r.value).toBeCloseTo(1, 12);
  });
  it('satisfies the KKT conditions on random problems', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 20; trial++) {
      const m = 3 + (trial % 5), n = 5 + 3 * trial;
      const A = { rows: m, cols: n, data: standardNormals(rng, m * n) };
      const b = Float64Array.from(standardNormals(rng, m), (v) => 3 * v);
      const v = Float64Array.from({ length: m }, (_, i) => 1 + i);
      const r = simplexLeastSquares(A, b, { rowWeights: v });
      expect(r.converged).toBe(true);
      expect(r.x.reduce((s, t) => s + t, 0)).toBeCloseTo(1, 12);
      // g = Aᵀ V (Aw − b); optimal iff g_j ≥ λ for all j with equality on the support, λ = wᵀg.
      const g = Array.from({ length: n }, (_, j) => {
        let s = 0;
        for (let i = 0; i < m; i++) s += A.data[i * n + j] * v[i] * r.residual[i];
        return s;
      });
      const lambda = g.reduce((s, gj, j) => s + gj * r.x[j], 0);
      const scale = Math.max(...g.map(Math.abs), 1);
      g.forEach((gj, j) => {
        expect(gj).toBeGreaterThanOrEqual(lambda - 1e-9 * scale);
        if (r.x[j] > 1e-9) expect(Math.abs(gj - lambda)).toBeLessThan(1e-8 * scale);
      });
    }
  });
  it("matches kernlab::ipop on Proposition 99's inner problem (equal V)", () => {
    const sm = readRecords('smoking.csv');
    const donors: string[] = ref.smoking.donors;
    const keys = Object.keys(ref.smoking.predictorScale);
    const mean = (st: string, col: string, years: number[]) => {
      const rows = sm.filter((r) => r.state === st && years.indexOf(r.year) >= 0);
      return rows.reduce((s, r) => s + r[col], 0) / rows.length;
    };
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    const pred = (st: string) => [
      mean(st, 'lnincome', range(1980, 1988)), mean(st, 'age15to24', range(1980, 1988)), mean(st, 'retprice', range(1980, 1988)),
      mean(st, 'beer', range(1984, 1988)), mean(st, 'cigsale', [1975]), mean(st, 'cigsale', [1980]), mean(st, 'cigsale', [1988]),
    ].map((x, i) => x / ref.smoking.predictorScale[keys[i]]);
    const X0 = keys.map((_, i) => donors.map((d) => pred(d)[i]));
    const r = simplexLeastSquares(X0, pred('California'), { rowWeights: new Array(7).fill(1 / 7) });
    donors.forEach((d, j) => expect(Math.abs(r.x[j] - ref.smoking.equalVWeights[d])).toBeLessThan(1e-7));
    expect(r.value).toBeCloseTo(ref.smoking.equalVLoss, 10);
  });
  it('rejects malformed input by name', () => {
    expect(() => simplexLeastSquares([[1, 2]], [1, 2])).toThrow(DimensionMismatchError);
    expect(() => simplexLeastSquares([[1, 2]], [NaN])).toThrow(InvalidInputError);
    expect(() => simplexLeastSquares([[1, 2]], [1], { rowWeights: [-1] })).toThrow(/rowWeights/);
  });
});
