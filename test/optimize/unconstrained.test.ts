// Unconstrained minimizers on problems with known minimizers: Rosenbrock 2-D from (−1.2, 1) (Rosenbrock
// 1960; f* = 0 at (1, 1)), the extended Rosenbrock of Moré, Garbow & Hillstrom (1981) in 10-D, the chained
// n-D Rosenbrock, and quadratics whose minimizer is A⁻¹b in closed form.
//
// Tolerances: near a minimizer with Hessian H, ‖x − x*‖ ≲ ‖H⁻¹‖·‖∇f‖. Rosenbrock's Hessian at (1, 1),
// [[802, −400], [−400, 200]], has eigenvalues 1001.6 and 0.3994, so ‖H⁻¹‖ ≈ 2.5 and ‖∇f‖∞ ≤ 1e-8 (the default
// gradientTolerance) puts x within about 4e-8 of (1, 1); stopping on a relative decrease of f ≤ 1e-14
// instead leaves up to sqrt(2·1e-14/0.4) ≈ 2e-7. The tests ask for 1e-6, and f ≤ 1e-12 (f* = 0).
import { describe, expect, it } from 'vitest';
import { gradientDescent } from '../../src/optimize/gradientDescent';
import { lbfgs } from '../../src/optimize/lbfgs';
import { newtonMethod, shiftedCholesky } from '../../src/optimize/newton';
import { InvalidInputError } from '../../src/errors';
import { chainedRosenbrock, extendedRosenbrock, problem, rosenbrock, rosenbrockHessian } from './problems';

const maxAbsError = (x: ArrayLike<number>, ref: ArrayLike<number>) => Math.max(...Array.from(x, (v, i) => Math.abs(v - ref[i])));

describe('L-BFGS', () => {
  it('Rosenbrock 2-D from (−1.2, 1) to (1, 1)', () => {
    const p = problem('Rosenbrock-2D');
    expect(rosenbrock.value!(Float64Array.from(p.x0))).toBeCloseTo(24.2, 12); // the fixture's f(x0)
    const r = lbfgs(rosenbrock, p.x0);
    expect(r.converged).toBe(true);
    expect(maxAbsError(r.x, p.ref_x)).toBeLessThan(1e-6);
    expect(r.value).toBeLessThan(1e-12);
    expect(r.iterations).toBeLessThan(60);
  });
  it('extended Rosenbrock 10-D (Moré–Garbow–Hillstrom 21) from (−1.2, 1, …)', () => {
    const p = problem('Rosenbrock-10D');
    const r = lbfgs(extendedRosenbrock, p.x0);
    expect(r.converged).toBe(true);
    expect(maxAbsError(r.x, p.ref_x)).toBeLessThan(1e-6);
  });
  it('chained Rosenbrock in 10, 50 and 200 dimensions from (−1.2, 1, …)', () => {
    for (const n of [10, 50, 200]) {
      const x0 = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
      const r = lbfgs(chainedRosenbrock, x0, { maxIterations: 5000 });
      expect(r.converged).toBe(true);
      // The chained form has a second local minimizer near (−1, 1, …, 1) for n ≥ 4; from this start the
      // global one (all ones) is reached, as scipy's L-BFGS-B does in the fixture's check (10-D).
      expect(maxAbsError(r.x, new Array(n).fill(1))).toBeLessThan(1e-5);
    }
  });
  it('with a numerical gradient (central differences) reaches the same point to 1e-5', () => {
    const r = lbfgs((x) => rosenbrock.value!(x), [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(maxAbsError(r.x, [1, 1])).toBeLessThan(1e-5);
    expect(r.warnings.join()).toMatch(/central differences/);
  });
  it('a quadratic: the minimizer A⁻¹b (closed form) in at most n iterations plus a few', () => {
    // A = [[4, 1, 0], [1, 3, 1], [0, 1, 2]], b = (1, 2, 3): x* solves Ax = b exactly (Cramer's rule below).
    const A = [[4, 1, 0], [1, 3, 1], [0, 1, 2]];
    const b = [1, 2, 3];
    const f = {
      value: (x: Float64Array) => 0.5 * A.reduce((s, row, i) => s + x[i] * row.reduce((t, a, j) => t + a * x[j], 0), 0) - b.reduce((s, bi, i) => s + bi * x[i], 0),
      gradient: (x: Float64Array) => A.map((row, i) => row.reduce((t, a, j) => t + a * x[j], 0) - b[i]),
    };
    // det A = 4(6−1) − 1(2−0) = 18; by Cramer's rule x* = (det A₁, det A₂, det A₃)/18 = (4, 2, 26)/18, where
    // det A₁ = 1·5 − 1·(4−3) = 4, det A₂ = 4·(4−3) − 1·(2−0) = 2, det A₃ = 4·(9−2) − 1·(3−0) + 1·(1−0) = 26.
    const xStar = [4 / 18, 2 / 18, 26 / 18];
    const r = lbfgs(f, [0, 0, 0]);
    expect(maxAbsError(r.x, xStar)).toBeLessThan(1e-9);
  });
});

describe('gradient descent', () => {
  it('reaches the minimizer of a well-conditioned quadratic', () => {
    // Stopping on a relative decrease of f ≤ 1e-14 near f* = 0 leaves |x − x*| up to about sqrt(1e-14 / λmin)
    // = 1e-7 (λmin = 1 here): the test allows 1e-6.
    const f = { value: (x: Float64Array) => (x[0] - 1) ** 2 + 2 * (x[1] + 2) ** 2, gradient: (x: Float64Array) => [2 * (x[0] - 1), 4 * (x[1] + 2)] };
    const r = gradientDescent(f, [5, 5]);
    expect(r.converged).toBe(true);
    expect(maxAbsError(r.x, [1, -2])).toBeLessThan(1e-6);
  });
  it('crawls along Rosenbrock’s valley but gets there (thousands of iterations, against tens for L-BFGS)', () => {
    const r = gradientDescent(rosenbrock, [-1.2, 1], { gradientTolerance: 1e-6 });
    expect(r.converged).toBe(true);
    expect(maxAbsError(r.x, [1, 1])).toBeLessThan(1e-4);
    expect(r.iterations).toBeGreaterThan(500);
  });
  it('with a fixed step larger than 2/L diverges, and says so', () => {
    // f = x²: L = 2, so a step of 1.1 > 2/L = 1 overshoots by a growing factor each time.
    const r = gradientDescent({ value: (x) => x[0] ** 2, gradient: (x) => [2 * x[0]] }, [1], { lineSearch: 'none', stepSize: 1.1, maxIterations: 50 });
    expect(r.converged).toBe(false);
    expect(Math.abs(r.x[0])).toBeGreaterThan(1);
  });
});

describe('typed errors and warnings', () => {
  it('a non-finite start is an InvalidInputError naming x0', () => {
    expect(() => lbfgs(rosenbrock, [NaN, 1])).toThrow(InvalidInputError);
    expect(() => lbfgs(rosenbrock, [Infinity, 1])).toThrow(/x0/);
    expect(() => lbfgs(rosenbrock, [])).toThrow(/x0/);
  });
  it('an objective returning NaN at an accepted point names the iteration and the point', () => {
    // f = x² + NaN once x < 0.5: finite at the start, NaN later. The line search shortens steps into NaN,
    // so the NaN must come from the gradient at an accepted point to be reached: make the gradient NaN.
    const f = { value: (x: Float64Array) => (x[0] - 0) ** 2, gradient: (x: Float64Array) => [x[0] < 0.5 ? NaN : 2 * x[0]] };
    expect(() => lbfgs(f, [1])).toThrow(/gradient: returned NaN in entry 0 at iteration 1, x = \(/);
    expect(() => lbfgs({ value: () => NaN, gradient: () => [0] }, [1])).toThrow(/objective: returned NaN at the starting point, x = \(1\)/);
  });
  it('does not change its input', () => {
    const x0 = [-1.2, 1];
    lbfgs(rosenbrock, x0);
    expect(x0).toEqual([-1.2, 1]);
  });
});

describe("Newton's method", () => {
  it('Rosenbrock 2-D from (−1.2, 1) with the analytic Hessian, converging quadratically at the end', () => {
    const r = newtonMethod(rosenbrock, [-1.2, 1], { trace: true });
    expect(r.converged).toBe(true);
    expect(maxAbsError(r.x, [1, 1])).toBeLessThan(1e-10);
    // Nocedal & Wright (2006), Theorem 3.5: ‖x_{k+1} − x*‖ ≤ C ‖x_k − x*‖² near x*, with C about
    // L·‖∇²f(x*)⁻¹‖, L the Lipschitz constant of the Hessian near x* (≈ 2.5e3 for Rosenbrock: ∂H₁₁/∂x₁ =
    // 2400 x₁) and ‖∇²f(x*)⁻¹‖ ≈ 2.5, so C ≲ 6e3. Check the ratios over the steps still above rounding.
    const errors = r.trace!.map((t) => maxAbsError(t.x, [1, 1])).filter((e) => e > 1e-14);
    const ratios = errors.slice(1).map((e, i) => e / errors[i] ** 2).slice(-3);
    for (const q of ratios) expect(q).toBeLessThan(6e3);
    // The hallmark: from an error below 1e-3, three steps reach 1e-12 (digits double each step).
    const k = errors.findIndex((e) => e < 1e-3);
    expect(maxAbsError(r.trace![Math.min(k + 3, r.trace!.length - 1)].x, [1, 1])).toBeLessThan(1e-12);
    expect(r.iterations).toBeLessThan(30);
  });
  it('finds a descent direction where the Hessian is indefinite (Rosenbrock at (0, 1))', () => {
    // H(0, 1) = [[1200·0 − 400 + 2, 0], [0, 200]] = [[−398, 0], [0, 200]]: indefinite.
    const H = rosenbrockHessian([0, 1]);
    expect(H[0][0]).toBeLessThan(0);
    const s = shiftedCholesky(H);
    expect(s.shift).toBeGreaterThan(398);
    const r = newtonMethod(rosenbrock, [0, 1]);
    expect(r.converged).toBe(true);
    expect(maxAbsError(r.x, [1, 1])).toBeLessThan(1e-10);
  });
  it('with a numerical Hessian reaches the same point', () => {
    const r = newtonMethod({ value: rosenbrock.value, gradient: rosenbrock.gradient }, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(maxAbsError(r.x, [1, 1])).toBeLessThan(1e-8);
    expect(r.warnings.join()).toMatch(/no Hessian/);
  });
  it('shiftedCholesky adds nothing to a positive-definite matrix', () => {
    expect(shiftedCholesky([[4, 1], [1, 3]]).shift).toBe(0);
  });
});
