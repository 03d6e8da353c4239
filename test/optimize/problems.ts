// Objectives of the reference problems in test/fixtures/optimizer_problems/problems.json, with analytic
// gradients. The fixture gives starts, bounds and known optima; the formulas are those of the sources it
// names (Rosenbrock 1960; Moré, Garbow & Hillstrom 1981; Hock & Schittkowski 1981).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Objective } from '../../src/optimize/types';

export interface ReferenceProblem {
  name: string;
  x0: number[];
  ref_f: number;
  ref_x: number[];
  bounds: [number | null, number | null][] | null;
}

export const referenceProblems: ReferenceProblem[] = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'optimizer_problems', 'problems.json'), 'utf8'),
);
export const problem = (prefix: string) => {
  const p = referenceProblems.find((q) => q.name.startsWith(prefix));
  if (!p) throw new Error(`no problem ${prefix}`);
  return p;
};
export const boundsOf = (p: ReferenceProblem) => ({
  lower: (p.bounds ?? p.x0.map(() => [null, null])).map(([l]) => l ?? -Infinity),
  upper: (p.bounds ?? p.x0.map(() => [null, null])).map(([, u]) => u ?? Infinity),
});

/** Rosenbrock (1960): f = 100 (x₂ − x₁²)² + (1 − x₁)². */
export const rosenbrockHessian = (x: ArrayLike<number>): number[][] => [
  [1200 * x[0] ** 2 - 400 * x[1] + 2, -400 * x[0]],
  [-400 * x[0], 200],
];
export const rosenbrock: Objective = {
  value: (x) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2,
  gradient: (x) => [-400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]), 200 * (x[1] - x[0] ** 2)],
  hessian: rosenbrockHessian,
};

/** Extended Rosenbrock, Moré, Garbow & Hillstrom (1981) problem 21: a sum over pairs (x₂ᵢ₋₁, x₂ᵢ). */
export const extendedRosenbrock: Objective = {
  valueAndGradient: (x) => {
    let f = 0;
    const g = new Float64Array(x.length);
    for (let i = 0; i < x.length; i += 2) {
      const t = x[i + 1] - x[i] ** 2;
      f += 100 * t * t + (1 - x[i]) ** 2;
      g[i] = -400 * x[i] * t - 2 * (1 - x[i]);
      g[i + 1] = 200 * t;
    }
    return { value: f, gradient: g };
  },
};

/** The chained n-D Rosenbrock Σ 100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)² (as scipy.optimize.rosen). */
export const chainedRosenbrock: Objective = {
  valueAndGradient: (x) => {
    let f = 0;
    const g = new Float64Array(x.length);
    for (let i = 0; i + 1 < x.length; i++) {
      const t = x[i + 1] - x[i] ** 2;
      f += 100 * t * t + (1 - x[i]) ** 2;
      g[i] += -400 * x[i] * t - 2 * (1 - x[i]);
      g[i + 1] += 200 * t;
    }
    return { value: f, gradient: g };
  },
};
