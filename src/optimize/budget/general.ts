// The general allocator (chapter 16): for an objective that does not separate by channel (mean − κ·sd of
// the total across posterior draws, interactions between channels) there is no per-channel equation to
// solve. The budget constraint goes to the augmented Lagrangian of chapter 6, the bounds stay with
// L-BFGS-B inside it; the answer is a local optimum, started from the separable one.
import { augmentedLagrangian } from '../augmentedLagrangian';
import type { ResolvedBudget } from './problem';
import { meetBudget } from './problem';
import type { JointObjective } from './types';

export interface GeneralSolution {
  x: Float64Array;
  multiplier: number;
  converged: boolean;
  message: string;
  warnings: string[];
}

/** ∂objective/∂x by central differences kept inside the bounds (as `differenceMarginal`). */
export function jointGradient(objective: JointObjective, problem: ResolvedBudget): (x: Float64Array) => Float64Array {
  if (objective.gradient) return (x) => Float64Array.from(objective.gradient!(x));
  return (x) => {
    const g = new Float64Array(x.length);
    const y = Float64Array.from(x);
    const scale = Math.max(problem.total, 1e-8);
    for (let i = 0; i < x.length; i++) {
      const h = 6e-6 * Math.max(Math.abs(x[i]), scale * 1e-3, 1e-8);
      const lo = problem.lower[i];
      const hi = problem.upper[i];
      const at = (v: number) => {
        y[i] = v;
        const r = objective.value(y);
        y[i] = x[i];
        return r;
      };
      if (x[i] - h >= lo && x[i] + h <= hi) g[i] = (at(x[i] + h) - at(x[i] - h)) / (2 * h);
      else if (x[i] + 2 * h <= hi) g[i] = (-3 * at(x[i]) + 4 * at(x[i] + h) - at(x[i] + 2 * h)) / (2 * h);
      else if (x[i] - 2 * h >= lo) g[i] = (3 * at(x[i]) - 4 * at(x[i] - h) + at(x[i] - 2 * h)) / (2 * h);
    }
    return g;
  };
}

/** Maximize a joint objective subject to the budget and the bounds. Chapter: "Optimizing the budget". */
export function solveGeneral(problem: ResolvedBudget, objective: JointObjective, start: Float64Array): GeneralSolution {
  const gradient = jointGradient(objective, problem);
  const free = problem.free.filter((i) => problem.upper[i] > problem.lower[i]);
  const full = Float64Array.from(start);
  const embed = (z: Float64Array) => {
    const x = Float64Array.from(full);
    free.forEach((i, k) => (x[i] = z[k]));
    return x;
  };
  if (free.length === 0) return { x: meetBudget(start, problem, NaN), multiplier: NaN, converged: true, message: 'no channel can move', warnings: [] };
  let fixedSum = 0;
  for (let i = 0; i < problem.n; i++) if (!free.includes(i)) fixedSum += full[i];
  // Scale the objective so its gradient is of order one at the start: the inner tolerance is absolute.
  const g0 = gradient(start);
  let scale = 0;
  for (const i of free) scale = Math.max(scale, Math.abs(g0[i]));
  scale = scale > 0 && Number.isFinite(scale) ? scale : 1;
  const z0 = Float64Array.from(free, (i) => start[i]);
  const result = augmentedLagrangian(
    {
      valueAndGradient(z: Float64Array) {
        const x = embed(z);
        const g = gradient(x);
        return { value: -objective.value(x) / scale, gradient: Float64Array.from(free, (i) => -g[i] / scale) };
      },
    },
    z0,
    {
      lower: Float64Array.from(free, (i) => problem.lower[i]),
      upper: Float64Array.from(free, (i) => problem.upper[i]),
      equalities: [
        {
          value: (z: Float64Array) => {
            let s = fixedSum;
            for (let k = 0; k < z.length; k++) s += z[k];
            return (s - problem.total) / Math.max(problem.total, 1);
          },
          gradient: (z: Float64Array) => new Float64Array(z.length).fill(1 / Math.max(problem.total, 1)),
        },
      ],
      optimalityTolerance: 1e-9,
      constraintTolerance: 1e-12,
    },
  );
  // ∇(−f/s) = λ_AL ∇h with h = (Σx − B)/max(B,1), so the budget's multiplier is −λ_AL s / max(B, 1).
  const multiplier = (-result.multipliers.equalities[0] * scale) / Math.max(problem.total, 1);
  const x = meetBudget(embed(result.x), problem, multiplier);
  return { x, multiplier, converged: result.converged, message: result.message, warnings: result.warnings };
}
