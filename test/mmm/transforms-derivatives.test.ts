// Every derivative of every transform against central finite differences.
//
// Step h = 1e-6 · max(1, |θ|). A central difference of F = Σ g_i y_i errs by its truncation
// h²|F'''|/6 ≈ 1e-12 and its rounding ≈ ε|F|/h ≈ 2e-10·|F| (|F| < 30 here, so < 1e-8): a tolerance of
// 1e-7 · max(1, |exact|) leaves a factor ≥ 10 of margin and still catches any wrong term (which would be
// of the order of the derivative itself).
import { describe, expect, it } from 'vitest';
import * as T from '../../src/mmm/transforms/index';
import { centralDifference, dot, seededUniform } from './transformsHelpers';

const TOL = 1e-7;
const close = (exact: number, approx: number) => Math.abs(exact - approx) <= TOL * Math.max(1, Math.abs(exact));

type Forward = (x: ArrayLike<number>, p: Record<string, number>) => Float64Array;
type Vjp = (x: ArrayLike<number>, p: Record<string, number>, g: ArrayLike<number>) => Record<string, number | Float64Array>;

/** Checks ∂F/∂x_i and ∂F/∂θ of F = g·y(x, θ) returned by `vjp` against central differences. */
function checkVjp(forward: Forward, vjp: Vjp, params: Record<string, number>, seed: number): number {
  const n = 25;
  const x = seededUniform(seed, n, 0.1, 3);
  const g = seededUniform(seed + 1, n, -1, 1);
  const exact = vjp(x, params, g);
  let worst = 0;
  const record = (e: number, a: number) => {
    worst = Math.max(worst, Math.abs(e - a) / Math.max(1, Math.abs(e)));
    expect(close(e, a), `exact ${e} vs finite difference ${a}`).toBe(true);
  };
  for (let i = 0; i < n; i++) {
    const F = (t: number) => {
      const xi = x.slice();
      xi[i] = t;
      return dot(g, forward(xi, params));
    };
    record((exact.x as Float64Array)[i], centralDifference(F, x[i], 1e-6 * Math.max(1, x[i])));
  }
  for (const name of Object.keys(params)) {
    const F = (t: number) => dot(g, forward(x, { ...params, [name]: t }));
    record(exact[name] as number, centralDifference(F, params[name], 1e-6 * Math.max(1, Math.abs(params[name]))));
  }
  return worst;
}

/** Checks each parameter-Jacobian column ∂y_t/∂θ against central differences, entry by entry. */
function checkJacobian(forward: Forward, jac: (x: number[], p: Record<string, number>) => Record<string, Float64Array>, params: Record<string, number>): void {
  const x = seededUniform(77, 20, 0, 2);
  const J = jac(x, params);
  for (const name of Object.keys(params)) {
    const h = 1e-6 * Math.max(1, Math.abs(params[name]));
    const up = forward(x, { ...params, [name]: params[name] + h });
    const down = forward(x, { ...params, [name]: params[name] - h });
    J[name].forEach((v, t) => expect(close(v, (up[t] - down[t]) / (2 * h))).toBe(true));
  }
}

describe('adstock vector-Jacobian products', () => {
  for (const normalize of [false, true]) {
    for (const lMax of [6, Infinity]) {
      it(`geometric (lMax ${lMax}, normalize ${normalize})`, () => {
        for (const alpha of [0.05, 0.45, 0.9]) {
          checkVjp(
            (x, p) => T.geometricAdstock(x, p.alpha, { lMax, normalize }),
            (x, p, g) => T.geometricAdstockVjp(x, p.alpha, g, { lMax, normalize }),
            { alpha },
            3,
          );
        }
      });
    }
    it(`delayed (normalize ${normalize})`, () => {
      checkVjp(
        (x, p) => T.delayedAdstock(x, p.alpha, p.theta, { lMax: 8, normalize }),
        (x, p, g) => T.delayedAdstockVjp(x, p.alpha, p.theta, g, { lMax: 8, normalize }),
        { alpha: 0.6, theta: 1.7 },
        4,
      );
    });
    for (const kind of ['cdf', 'pdf'] as const) {
      it(`weibull ${kind} (normalize ${normalize})`, () => {
        for (const [shape, scale] of [[1.4, 3.2], [0.6, 1.5], [4, 6]]) {
          checkVjp(
            (x, p) => T.weibullAdstock(x, p.shape, p.scale, { lMax: 10, kind, normalize }),
            (x, p, g) => T.weibullAdstockVjp(x, p.shape, p.scale, g, { lMax: 10, kind, normalize }),
            { shape, scale },
            5,
          );
        }
      });
    }
    it(`binomial (normalize ${normalize})`, () => {
      checkVjp(
        (x, p) => T.binomialAdstock(x, p.alpha, { lMax: 7, normalize }),
        (x, p, g) => T.binomialAdstockVjp(x, p.alpha, g, { lMax: 7, normalize }),
        { alpha: 0.35 },
        6,
      );
    });
  }
  it('generic lag weights', () => {
    const x = seededUniform(1, 15, 0, 2);
    const w = [0.5, 0.3, 0.15];
    const g = seededUniform(2, 15, -1, 1);
    const exact = T.adstockWithWeightsVjp(x, w, g);
    w.forEach((_, l) => {
      const F = (t: number) => dot(g, T.adstockWithWeights(x, w.map((v, m) => (m === l ? t : v))));
      expect(close(exact.weights[l], centralDifference(F, w[l], 1e-6))).toBe(true);
    });
  });
  it('parameter Jacobians, and VJP = gᵀJ', () => {
    for (const normalize of [false, true]) {
      checkJacobian((x, p) => T.geometricAdstock(x, p.alpha, { lMax: 5, normalize }), (x, p) => T.geometricAdstockJacobian(x, p.alpha, { lMax: 5, normalize }), { alpha: 0.3 });
      checkJacobian((x, p) => T.delayedAdstock(x, p.alpha, p.theta, { lMax: 6, normalize }), (x, p) => T.delayedAdstockJacobian(x, p.alpha, p.theta, { lMax: 6, normalize }), { alpha: 0.7, theta: 2.2 });
      checkJacobian((x, p) => T.weibullAdstock(x, p.shape, p.scale, { lMax: 6, normalize }), (x, p) => T.weibullAdstockJacobian(x, p.shape, p.scale, { lMax: 6, normalize }), { shape: 2, scale: 2.5 });
    }
    const x = seededUniform(12, 20, 0, 2);
    const g = seededUniform(13, 20, -1, 1);
    const J = T.delayedAdstockJacobian(x, 0.7, 2.2, { lMax: 6 });
    const v = T.delayedAdstockVjp(x, 0.7, 2.2, g, { lMax: 6 });
    expect(Math.abs(v.alpha - dot(g, J.alpha))).toBeLessThan(1e-13);
    expect(Math.abs(v.theta - dot(g, J.theta))).toBeLessThan(1e-13);
  });
  it('the forward derivative in x is the adstock of the direction (linearity)', () => {
    const x = seededUniform(21, 30, 0, 2);
    const v = seededUniform(22, 30, 0, 1);
    const h = 1e-6;
    const up = T.geometricAdstock(x.map((xi, i) => xi + h * v[i]), 0.5);
    const down = T.geometricAdstock(x.map((xi, i) => xi - h * v[i]), 0.5);
    const dir = T.geometricAdstock(v, 0.5);
    dir.forEach((d, t) => expect(close(d, (up[t] - down[t]) / (2 * h))).toBe(true));
  });
});

describe('saturation: derivatives and vector-Jacobian products', () => {
  const cases: [string, Forward, Vjp, (x: ArrayLike<number>, p: Record<string, number>) => Float64Array, Record<string, number>[]][] = [
    ['hill', (x, p) => T.hillSaturation(x, p.halfSaturation, p.slope), (x, p, g) => T.hillSaturationVjp(x, p.halfSaturation, p.slope, g), (x, p) => T.hillSaturationDerivative(x, p.halfSaturation, p.slope), [{ halfSaturation: 1.3, slope: 0.7 }, { halfSaturation: 0.8, slope: 2.5 }, { halfSaturation: 2, slope: 1 }]],
    ['power hill', (x, p) => T.powerHillSaturation(x, p.alpha, p.gamma), (x, p, g) => T.powerHillSaturationVjp(x, p.alpha, p.gamma, g), (x, p) => T.powerHillSaturationDerivative(x, p.alpha, p.gamma), [{ alpha: 0.8, gamma: 1.5 }, { alpha: 2, gamma: 0.5 }]],
    ['logistic', (x, p) => T.logisticSaturation(x, p.lambda), (x, p, g) => T.logisticSaturationVjp(x, p.lambda, g), (x, p) => T.logisticSaturationDerivative(x, p.lambda), [{ lambda: 1.8 }, { lambda: 0.2 }]],
    ['michaelis-menten', (x, p) => T.michaelisMentenSaturation(x, p.vmax, p.k), (x, p, g) => T.michaelisMentenSaturationVjp(x, p.vmax, p.k, g), (x, p) => T.michaelisMentenSaturationDerivative(x, p.vmax, p.k), [{ vmax: 2, k: 1.1 }]],
    ['tanh', (x, p) => T.tanhSaturation(x, p.b, p.c), (x, p, g) => T.tanhSaturationVjp(x, p.b, p.c, g), (x, p) => T.tanhSaturationDerivative(x, p.b, p.c), [{ b: 1.5, c: 0.8 }, { b: 0.4, c: 3 }]],
  ];
  for (const [name, forward, vjp, derivative, paramSets] of cases) {
    it(`${name}: VJP in x and in every parameter`, () => {
      paramSets.forEach((p, k) => checkVjp(forward, vjp, p, 30 + k));
    });
    it(`${name}: marginal response df/dx`, () => {
      for (const p of paramSets) {
        const x = seededUniform(40, 40, 0.05, 6);
        const d = derivative(x, p);
        x.forEach((xi, i) => {
          const h = 1e-6 * Math.max(1, xi);
          const fd = (forward([xi + h], p)[0] - forward([xi - h], p)[0]) / (2 * h);
          expect(close(d[i], fd)).toBe(true);
        });
      }
    });
  }
  it('Hill at x = 0: derivative 0 (S-shape), 1/K (slope 1), ∞ (concave, slope < 1)', () => {
    expect(T.hillSaturationDerivative([0], 2, 3)[0]).toBe(0);
    expect(T.hillSaturationDerivative([0], 2, 1)[0]).toBe(0.5);
    expect(T.hillSaturationDerivative([0], 2, 0.5)[0]).toBe(Infinity);
    // an output that receives no gradient passes none on, even where the derivative is infinite
    expect(T.hillSaturationVjp([0, 1], 2, 0.5, [0, 1]).x[0]).toBe(0);
    expect(T.logisticSaturationDerivative([0], 3)[0]).toBe(1.5);
    expect(T.tanhSaturationDerivative([0], 2, 0.25)[0]).toBe(4);
    expect(T.michaelisMentenSaturationDerivative([0], 3, 2)[0]).toBe(1.5);
  });
  it('derivatives keep their digits far into saturation (no 1 − f cancellation)', () => {
    // logistic at λx = 40: f' = 2λ e^{−40}/(1 + e^{−40})² exactly; 1 − f² would round to 0.
    const d = T.logisticSaturationDerivative([20], 2)[0];
    expect(Math.abs(d / (4 * Math.exp(-40)) - 1)).toBeLessThan(1e-14);
    const h = T.hillSaturationDerivative([1e4], 1, 2)[0]; // 2 x^{-3}/(1 + x^{-2})² ≈ 2e-12
    expect(Math.abs(h / (2e-12 / Math.pow(1 + 1e-8, 2)) - 1)).toBeLessThan(1e-14);
  });
});
