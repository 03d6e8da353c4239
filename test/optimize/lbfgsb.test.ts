// L-BFGS-B against closed forms and certificates:
// - the generalized Cauchy point against its definition (the first local minimizer of the quadratic model
//   along the projected gradient path, found here by brute force on a fine grid);
// - convex bound-constrained quadratics, where the Karush–Kuhn–Tucker conditions certify the global
//   minimizer (free coordinates: ∂f = 0; at a lower bound: ∂f ≥ 0; at an upper bound: ∂f ≤ 0);
// - Rosenbrock with x₁ ≤ 0.5, whose minimizer (0.5, 0.25), f = 0.25, follows from the KKT conditions by hand;
// - HS021 (Hock & Schittkowski 1981), whose optimum (2, 0), f = −99.96, lies on a bound with the
//   problem's one inequality inactive, so the bound-constrained problem has the same solution.
import { describe, expect, it } from 'vitest';
import { compactBfgs, generalizedCauchyPoint } from '../../src/optimize/cauchyPoint';
import { lbfgsb, reducedNewtonStep } from '../../src/optimize/lbfgsb';
import { resolveBounds } from '../../src/optimize/problem';
import { createRng, normal, uniform } from '../../src/random/index';
import { InvalidInputError } from '../../src/errors';
import { boundsOf, problem, rosenbrock } from './problems';

function randomPairs(n: number, k: number, seed: number) {
  // Pairs (s, y) with y = A s for an SPD A, so sᵀy > 0 as BFGS requires.
  const rng = createRng(seed);
  const G = Array.from({ length: n }, () => Array.from({ length: n }, () => normal(rng)));
  const A = G.map((_, i) => G.map((__, j) => G[i].reduce((s, v, l) => s + v * G[j][l], 0) + (i === j ? 1 : 0)));
  const S = Array.from({ length: k }, () => Float64Array.from({ length: n }, () => normal(rng)));
  const Y = S.map((s) => Float64Array.from(A.map((row) => row.reduce((t, a, j) => t + a * s[j], 0))));
  const theta = Y[k - 1].reduce((t, v) => t + v * v, 0) / Y[k - 1].reduce((t, v, i) => t + v * S[k - 1][i], 0);
  return { S, Y, theta, rng };
}

/** B = θI − W M Wᵀ as a dense matrix, for checking. */
function denseB(B: ReturnType<typeof compactBfgs>, n: number): number[][] {
  const m = 2 * B.pairs;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (__, j) => {
      let s = i === j ? B.theta : 0;
      for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) s -= B.W[i * m + a] * B.M.data[a * m + b] * B.W[j * m + b];
      return s;
    }),
  );
}

describe('compact BFGS matrix', () => {
  it('satisfies the secant equation B s_k = y_k for the newest pair (BLNZ 1995, eq. 2.2 ff.)', () => {
    const n = 6;
    const { S, Y, theta } = randomPairs(n, 3, 5);
    const B = compactBfgs(S, Y, theta, n);
    const D = denseB(B, n);
    const s = S[2];
    const Bs = D.map((row) => row.reduce((t, v, j) => t + v * s[j], 0));
    for (let i = 0; i < n; i++) expect(Bs[i]).toBeCloseTo(Y[2][i], 9);
  });
});

describe('subspace step', () => {
  it('solves B_F d = −r on the free coordinates, by direct factorization (|F| ≤ 2k) and by Sherman–Morrison–Woodbury (|F| > 2k)', () => {
    const n = 8;
    const { S, Y, theta } = randomPairs(n, 2, 11);
    const B = compactBfgs(S, Y, theta, n);
    const D = denseB(B, n);
    for (const free of [[1, 4, 6], [0, 1, 2, 3, 5, 6, 7]]) {
      const r = Float64Array.from(free, (_, a) => Math.sin(a + 1));
      const d = reducedNewtonStep(B, free, r)!;
      // Residual of the reduced system, computed with the dense B.
      for (let a = 0; a < free.length; a++) {
        const row = free.reduce((t, j, b) => t + D[free[a]][j] * d[b], 0);
        expect(Math.abs(row + r[a])).toBeLessThan(1e-10);
      }
    }
  });
});

describe('generalized Cauchy point', () => {
  it('with no memory (B = I) is the projection P(x − g)', () => {
    const x = Float64Array.from([0.5, 0, -0.5, 0.9]);
    const g = Float64Array.from([1, -2, 0.3, -0.05]);
    const box = resolveBounds(4, { lower: -1, upper: 1 });
    const cp = generalizedCauchyPoint(x, g, box, compactBfgs([], [], 1, 4));
    const expected = [-0.5, 1, -0.8, 0.95];
    for (let i = 0; i < 4; i++) expect(cp.x[i]).toBeCloseTo(expected[i], 14);
  });
  it('is the first local minimizer of the quadratic model along the projected path (brute force)', () => {
    for (const seed of [1, 2, 3]) {
      const n = 8;
      const { S, Y, theta, rng } = randomPairs(n, 4, seed);
      const B = compactBfgs(S, Y, theta, n);
      const D = denseB(B, n);
      const box = resolveBounds(n, { lower: -1, upper: 1 });
      const x = Float64Array.from({ length: n }, () => uniform(rng, -0.8, 0.8));
      const g = Float64Array.from({ length: n }, () => 3 * normal(rng));
      const model = (z: ArrayLike<number>) => {
        let q = 0;
        for (let i = 0; i < n; i++) {
          q += g[i] * (z[i] - x[i]);
          for (let j = 0; j < n; j++) q += 0.5 * (z[i] - x[i]) * D[i][j] * (z[j] - x[j]);
        }
        return q;
      };
      const path = (t: number) => x.map((xi, i) => Math.min(1, Math.max(-1, xi - t * g[i])));
      // Walk the path in small steps until the model first rises: that is the first local minimizer.
      let best = model(x);
      let t = 0;
      const dt = 1e-5;
      for (;;) {
        const next = model(path(t + dt));
        if (next > best) break;
        best = next;
        t += dt;
        if (t > 10) break;
      }
      const cp = generalizedCauchyPoint(x, g, box, B);
      // Between the grid's minimum and the exact one the model differs by O(dt²·curvature).
      expect(model(cp.x)).toBeLessThanOrEqual(best + 1e-8);
      const ref = path(t);
      for (let i = 0; i < n; i++) expect(Math.abs(cp.x[i] - ref[i])).toBeLessThan(2e-4);
    }
  });
});

function kktViolation(x: Float64Array, g: Float64Array, lower: number[], upper: number[]): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] <= lower[i]) worst = Math.max(worst, -g[i]);
    else if (x[i] >= upper[i]) worst = Math.max(worst, g[i]);
    else worst = Math.max(worst, Math.abs(g[i]));
  }
  return worst;
}

describe('L-BFGS-B', () => {
  it('solves convex bound-constrained quadratics to a KKT point (n = 50, many active bounds)', () => {
    for (const seed of [7, 8]) {
      const n = 50;
      const rng = createRng(seed);
      const G = Array.from({ length: n }, () => Array.from({ length: n }, () => normal(rng) / Math.sqrt(n)));
      const A = G.map((_, i) => G.map((__, j) => G[i].reduce((s, v, l) => s + v * G[j][l], 0) + (i === j ? 0.1 : 0)));
      const b = Array.from({ length: n }, () => 3 * normal(rng));
      const lower = new Array(n).fill(-1);
      const upper = new Array(n).fill(1);
      const f = {
        valueAndGradient: (x: Float64Array) => {
          const Ax = A.map((row) => row.reduce((t, a, j) => t + a * x[j], 0));
          return { value: 0.5 * Ax.reduce((t, v, i) => t + v * x[i], 0) - b.reduce((t, v, i) => t + v * x[i], 0), gradient: Ax.map((v, i) => v - b[i]) };
        },
      };
      const r = lbfgsb(f, new Array(n).fill(0), { lower, upper });
      expect(r.converged).toBe(true);
      const active = Array.from(r.x).filter((v) => v === -1 || v === 1).length;
      expect(active).toBeGreaterThan(5);
      expect(kktViolation(r.x, r.gradient, lower, upper)).toBeLessThan(1e-8);
    }
  });
  it('Rosenbrock with x₁ ≤ 0.5: minimizer (0.5, 0.25), f = 0.25 (KKT by hand)', () => {
    const r = lbfgsb(rosenbrock, [-1.2, 1], { upper: [0.5, Infinity] });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBe(0.5);
    expect(Math.abs(r.x[1] - 0.25)).toBeLessThan(1e-8);
    expect(Math.abs(r.value - 0.25)).toBeLessThan(1e-12);
  });
  it('Rosenbrock 2-D unbounded from (−1.2, 1), as scipy’s L-BFGS-B in the fixture', () => {
    const p = problem('Rosenbrock-2D');
    const r = lbfgsb(rosenbrock, p.x0);
    expect(r.converged).toBe(true);
    expect(Math.max(Math.abs(r.x[0] - 1), Math.abs(r.x[1] - 1))).toBeLessThan(1e-6);
  });
  it('HS021 on its bounds: (2, 0), f = −99.96', () => {
    const p = problem('HS021');
    const f = { value: (x: Float64Array) => 0.01 * x[0] ** 2 + x[1] ** 2 - 100, gradient: (x: Float64Array) => [0.02 * x[0], 2 * x[1]] };
    const r = lbfgsb(f, p.x0, boundsOf(p));
    expect(r.converged).toBe(true);
    expect(Math.abs(r.value - p.ref_f)).toBeLessThan(1e-12);
    expect(Array.from(r.x).map((v) => Math.abs(v) < 1e-9 ? 0 : v)).toEqual(p.ref_x);
  });
  it('projects a start outside the bounds, with a warning naming the coordinate', () => {
    const r = lbfgsb(rosenbrock, [-1.2, 3], { upper: [0.5, 2] });
    expect(r.warnings.join()).toMatch(/x0\[1\] = 3 → 2/);
    expect(r.x[0]).toBe(0.5);
  });
  it('rejects lower > upper with a typed error naming the coordinate', () => {
    expect(() => lbfgsb(rosenbrock, [0, 0], { lower: [0, 2], upper: [1, 1] })).toThrow(InvalidInputError);
    expect(() => lbfgsb(rosenbrock, [0, 0], { lower: [0, 2], upper: [1, 1] })).toThrow(/coordinate 1/);
  });
});
