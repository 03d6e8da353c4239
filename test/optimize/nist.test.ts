// Nonlinear least squares against NIST's Statistical Reference Datasets (StRD): all 27 nonlinear
// regression problems, from both certified starting points. Reference: NIST's certified estimates and
// standard errors (11 significant digits, computed in 128-bit arithmetic), fixture
// test/fixtures/nist_strd_nonlinear (README there).
//
// The measure is the log relative error, LRE = −log₁₀(|x − c| / |c|), capped at 11 (the certified digits).
// NIST counts 4 to 6 agreeing digits as success; the goal here is LRE ≥ 6 for every estimate and standard
// error of every run that reports convergence. The runs that do not converge are counted and named,
// not hidden.
//
// One known limit, not of the optimizer: Lanczos1's data are an exact fit to 13 digits, so its certified
// residual sum of squares is 1.4e-25 — residuals of about 8e-14 on responses near 1, where evaluating the
// model in double precision already errs by a few 1e-16. Its estimates reach LRE > 10, but its RSS, and
// with it its standard errors (SE ∝ √RSS), cannot be computed to more than about 3 digits in double
// precision. The test checks that the SEs' error there is the RSS's error and nothing else.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { levenbergMarquardt, type LeastSquaresResult } from '../../src/optimize/levenbergMarquardt';
import { lbfgs } from '../../src/optimize/lbfgs';
import { numericalJacobian } from '../../src/optimize/numerical';
import { models, residualProblem, type NistSet } from '../fixtures/nist_strd_nonlinear/models';

const sets: NistSet[] = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'nist_strd_nonlinear', 'certified.json'), 'utf8'));
const lre = (x: number, c: number) => {
  const e = Math.abs(x - c);
  return e === 0 ? 11 : Math.min(11, -Math.log10(e / Math.abs(c)));
};
const minimum = (values: number[]) => values.reduce((a, b) => Math.min(a, b), Infinity);
const STARTS = ['start1', 'start2'] as const;
const ROUNDING_LIMITED = 'Lanczos1';

describe('the NIST models as transcribed', () => {
  it('reproduce the certified residual sum of squares at the certified estimates', () => {
    for (const set of sets) {
      const { residuals } = residualProblem(set);
      const rss = residuals(set.params.map((p) => p.estimate)).reduce((s, r) => s + r * r, 0);
      if (set.name === ROUNDING_LIMITED) {
        // The certified estimates are rounded to 11 digits, which moves residuals of size 8e-14 by more
        // than themselves; the check is that the fit is exact to that rounding (RSS ≪ Σy² ≈ 10).
        expect(rss).toBeLessThan(1e-18);
      } else {
        // The estimates' rounding to 11 digits changes RSS only at second order: 6 digits must agree.
        expect(lre(rss, set.certified.rss)).toBeGreaterThanOrEqual(6);
      }
    }
  });
  it('have hand-written Jacobians that agree with central differences', () => {
    // A central difference with step h = ε^(1/3)|b_j| has truncation error O(h²) ≈ ε^(2/3) ≈ 4e-11 relative
    // and rounding error about ε·|r|/h (residuals of size |r| differenced). The check allows 1e-6 of the
    // column's norm plus 10 times that rounding term, which still catches any transcription error (those
    // are wrong at O(1)).
    const EPS = 2.220446049250313e-16;
    for (const set of sets) {
      const { residuals, jacobian } = residualProblem(set);
      for (const start of STARTS) {
        const b = set.params.map((p) => p[start]);
        const J = jacobian(b);
        const N = numericalJacobian(residuals, b);
        const rMax = Math.max(...residuals(b).map(Math.abs));
        for (let j = 0; j < b.length; j++) {
          const h = Math.cbrt(EPS) * Math.abs(b[j]);
          const scale = Math.sqrt(J.reduce((s, row) => s + row[j] ** 2, 0));
          const worst = Math.max(...J.map((row, i) => Math.abs(row[j] - N.data[i * N.cols + j])));
          expect(worst, `${set.name} ${start} column ${j}`).toBeLessThanOrEqual(1e-6 * scale + (10 * EPS * rMax) / h);
        }
      }
    }
  });
  it('cover all 27 data sets', () => {
    expect(sets.length).toBe(27);
    for (const set of sets) expect(models[set.name], set.name).toBeDefined();
  });
});

interface Run {
  set: string;
  start: string;
  converged: boolean;
  estimateLre: number;
  seLre: number;
  rssLre: number;
  iterations: number;
  message: string;
}

function runLm(set: NistSet, start: (typeof STARTS)[number], geodesicAcceleration = false): Run {
  const { residuals, jacobian } = residualProblem(set);
  const r: LeastSquaresResult = levenbergMarquardt(residuals, set.params.map((p) => p[start]), {
    jacobian,
    geodesicAcceleration,
    parameterNames: set.params.map((p) => p.name),
  });
  return {
    set: set.name,
    start,
    converged: r.converged,
    estimateLre: minimum(set.params.map((p, j) => lre(r.x[j], p.estimate))),
    seLre: r.standardErrors ? minimum(set.params.map((p, j) => lre(r.standardErrors![j], p.se))) : -Infinity,
    rssLre: lre(r.residualSumOfSquares, set.certified.rss),
    iterations: r.iterations,
    message: r.message,
  };
}

const fmt = (v: number) => (v < 0 ? '<0' : v.toFixed(1));

describe('Levenberg–Marquardt on all 27 NIST StRD nonlinear problems', () => {
  const runs = sets.flatMap((set) => STARTS.map((start) => runLm(set, start)));
  const accelerated = sets.flatMap((set) => STARTS.map((start) => runLm(set, start, true)));

  it('prints the table of log relative errors', () => {
    const table = sets.map((set, k) => {
      const [a, b] = [runs[2 * k], runs[2 * k + 1]];
      const [ga, gb] = [accelerated[2 * k], accelerated[2 * k + 1]];
      return {
        set: set.name,
        difficulty: set.difficulty.split(' ')[0],
        'start 1: estimates': a.converged ? fmt(a.estimateLre) : `fails (${fmt(a.estimateLre)})`,
        'start 1: SEs': a.converged ? fmt(a.seLre) : '—',
        'start 2: estimates': b.converged ? fmt(b.estimateLre) : `fails (${fmt(b.estimateLre)})`,
        'start 2: SEs': b.converged ? fmt(b.seLre) : '—',
        'with geodesic acceleration (1 / 2)': `${ga.converged ? fmt(ga.estimateLre) : 'fails'} / ${gb.converged ? fmt(gb.estimateLre) : 'fails'}`,
        'Jacobians (1 / 2)': `${a.iterations} / ${b.iterations}`,
      };
    });
    console.table(table);
    for (const r of runs.filter((q) => !q.converged)) console.log(`not converged: ${r.set} from ${r.start}: ${r.message}`);
    expect(table.length).toBe(27);
  });

  it('every run that converges has every estimate to LRE ≥ 6', () => {
    for (const r of [...runs, ...accelerated].filter((q) => q.converged)) {
      expect(r.estimateLre, `${r.set} ${r.start}`).toBeGreaterThanOrEqual(6);
    }
  });

  it('every run that converges has every standard error to LRE ≥ 6 (Lanczos1: as far as its RSS allows)', () => {
    for (const r of [...runs, ...accelerated].filter((q) => q.converged)) {
      if (r.set === ROUNDING_LIMITED) {
        // SE = s·√diag((JᵀJ)⁻¹) with s = √(RSS/dof): the SEs' error must be the RSS's error (half of it in
        // relative terms, so LRE(SE) ≥ LRE(RSS) − 0.1), and the RSS is limited by rounding, as said above.
        expect(r.seLre, `${r.set} ${r.start}`).toBeGreaterThanOrEqual(r.rssLre - 0.1);
        expect(r.rssLre).toBeGreaterThan(2);
      } else {
        expect(r.seLre, `${r.set} ${r.start}`).toBeGreaterThanOrEqual(6);
      }
    }
  });

  it('converges from start 2 on all 27, and fails from start 1 on exactly one: BoxBOD', () => {
    expect(runs.filter((r) => r.start === 'start2' && !r.converged).map((r) => r.set)).toEqual([]);
    // BoxBOD from (1, 1): the first step sends b₂ so high that exp(−b₂x) ≈ 0 for every x, the model
    // flattens into the constant b₁, and the iteration stalls on that plateau. The method reports this as
    // non-convergence (its stationarity check) instead of claiming the plateau.
    expect(runs.filter((r) => r.start === 'start1' && !r.converged).map((r) => r.set)).toEqual(['BoxBOD']);
    expect(accelerated.filter((r) => !r.converged).map((r) => `${r.set} ${r.start}`)).toEqual(['BoxBOD start1']);
  });
});

describe('L-BFGS on the same problems, for comparison', () => {
  // min ½‖r(b)‖² with the gradient Jᵀr, default tolerances (‖∇f‖∞ ≤ 1e-8), at most 2000 iterations.
  const runs = sets.flatMap((set) =>
    STARTS.map((start) => {
      const { residuals, jacobian } = residualProblem(set);
      const objective = {
        valueAndGradient: (b: Float64Array) => {
          const r = residuals(b);
          const J = jacobian(b);
          const g = new Float64Array(b.length);
          let v = 0;
          r.forEach((ri, i) => {
            v += ri * ri;
            J[i].forEach((Jij, j) => (g[j] += Jij * ri));
          });
          return { value: 0.5 * v, gradient: g };
        },
      };
      const r = lbfgs(objective, set.params.map((p) => p[start]), { maxIterations: 2000 });
      return {
        set: set.name,
        start,
        converged: r.converged,
        rss: 2 * r.value,
        estimateLre: minimum(set.params.map((p, j) => lre(r.x[j], p.estimate))),
      };
    }),
  );
  const lm = sets.flatMap((set) => STARTS.map((start) => runLm(set, start)));

  it('prints the comparison and checks what it shows', () => {
    const table = sets.map((set, k) => ({
      set: set.name,
      'LM start 1': lm[2 * k].converged ? fmt(lm[2 * k].estimateLre) : 'fails',
      'L-BFGS start 1': `${fmt(runs[2 * k].estimateLre)}${runs[2 * k].converged ? '' : ' (stopped)'}`,
      'LM start 2': lm[2 * k + 1].converged ? fmt(lm[2 * k + 1].estimateLre) : 'fails',
      'L-BFGS start 2': `${fmt(runs[2 * k + 1].estimateLre)}${runs[2 * k + 1].converged ? '' : ' (stopped)'}`,
    }));
    console.table(table);
    const good = (rs: { estimateLre: number }[]) => rs.filter((r) => r.estimateLre >= 6).length;
    console.log(`runs with every estimate to LRE ≥ 6: LM ${good(lm.filter((r) => r.converged))} of 54, L-BFGS ${good(runs)} of 54`);
    // No optimizer can beat the certified minimum: a lower RSS would mean a wrong model or gradient.
    for (const r of runs) expect(r.rss, `${r.set} ${r.start}`).toBeGreaterThanOrEqual(sets.find((s) => s.name === r.set)!.certified.rss * (1 - 1e-9));
    // What the comparison shows: a first-order method on ½‖r‖², blind to its least-squares structure and
    // to the scaling of the parameters, reaches six digits far less often than LM.
    expect(good(runs)).toBeLessThan(good(lm.filter((r) => r.converged)) - 10);
    // And L-BFGS can stop with a small gradient where LM refuses to: Rat43 from start 1 ends on a plateau.
    const falseStops = runs.filter((r) => r.converged && r.estimateLre < 1).map((r) => `${r.set} ${r.start}`);
    console.log(`L-BFGS reports convergence far from the certified values (LRE < 1) on: ${falseStops.join(', ') || 'none'}`);
    expect(falseStops).toEqual(['Rat43 start1']);
  });
});
