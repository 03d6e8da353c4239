// The Bayesian MMM's hand-written gradient against central differences, and its lift-test term against
// the calibration module's independent computation (channelContribution on changed spend).
// Reference: the central difference (f(u+h) − f(u−h))/2h has error O(h² f'''), about 1e-10 relative for
// h = 1e-5 on these smooth densities, plus rounding ε|f|/h ≈ 1e-13·|f|/1e-5 ≈ 1e-8 at |f| ≈ 1e3; we ask for
// 1e-6 relative (or absolute below 1), a hundred times looser than both.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv';
import { liftUnderCurve } from '../../src/mmm/calibration/liftTest';
import { mmmChannelCurve, mmmTarget, prepareLiftTests, resolveMMMPriors } from '../../src/mmm/bayes/index';
import { createRng, normal } from '../../src/random/index';
import { Uniform } from '../../src/stats/index';
import type { MMMSpec } from '../../src/mmm/spec';
import type { MMMCoordinates } from '../../src/mmm/bayes/model';
import { prepareMMM } from '../../src/mmm/spec';
import type { ChannelCurve } from '../../src/mmm/fitted';

const columns = parseCsv(readFileSync(resolve(__dirname, '../../data/mmm_example.csv'), 'utf8')).columns;
const base: MMMSpec = { date: 'date_week', target: 'y', channels: ['x1', 'x2'], controls: ['event_1', 'event_2', 't'], trend: false };

function centralDifferenceCheck(spec: MMMSpec, withLifts: boolean, seed?: number, coordinates: MMMCoordinates = 'contribution') {
  const prepared = prepareMMM(columns, spec);
  const lifts = withLifts
    ? prepareLiftTests(
        [
          { channel: 'x1', start: prepared.dates[40], end: prepared.dates[47], spendChange: 0.15, lift: 900, standardError: 150 },
          { channel: 'x2', start: prepared.dates[100], end: prepared.dates[103], spendChange: 0.3, lift: 200, standardError: 80 },
        ],
        prepared,
      )
    : [];
  const target = mmmTarget(prepared, resolveMMMPriors(undefined), lifts, coordinates);
  const coefficient = mmmTarget(prepared, resolveMMMPriors(undefined), lifts, 'coefficient');
  const d = target.dimension;
  const rng = seed === undefined ? undefined : createRng(seed);
  // Fixed points, or (with a seed) random ones: u ~ Normal(0, 0.7) per coefficient coordinate (log β, not
  // log m), mapped to the target's coordinates, so that both coordinates are checked at the same parameters.
  const points = (
    rng
      ? [0, 1, 2].map(() => Float64Array.from({ length: d }, () => normal(rng, 0, 0.7)))
      : [0.3, -0.7].map((s) => Float64Array.from({ length: d }, (_, i) => s * Math.sin(1.7 * i + 1)))
  ).map((u) => target.unconstrain(coefficient.parameters(u)));
  for (const u of points) {
    const g = new Float64Array(d);
    const lp = target.logDensityGradient(u, g);
    expect(Number.isFinite(lp)).toBe(true);
    const h = 1e-5;
    for (let i = 0; i < d; i++) {
      const up = Float64Array.from(u);
      const dn = Float64Array.from(u);
      up[i] += h;
      dn[i] -= h;
      const fd = (target.logDensityGradient(up, new Float64Array(d)) - target.logDensityGradient(dn, new Float64Array(d))) / (2 * h);
      expect(Math.abs(fd - g[i]) / Math.max(1, Math.abs(g[i])), `${target.parameterNames![i]}: analytic ${g[i]}, central difference ${fd}`).toBeLessThan(1e-6);
    }
  }
  return { prepared, target };
}

/** Two lift tests (an 8-week x1 test, a 1-week x2 test) and the model's predicted lifts at a fixed point. */
function liftsAtFixedPoint(spec: MMMSpec) {
  const prepared = prepareMMM(columns, spec);
  const tests = [
    { channel: 'x1', start: prepared.dates[40], end: prepared.dates[47], spendChange: 0.15, lift: 900, standardError: 150 },
    { channel: 'x2', start: prepared.dates[3], end: prepared.dates[3], spendChange: 0.5, lift: 100, standardError: 50 },
  ];
  const target = mmmTarget(prepared, resolveMMMPriors(undefined), prepareLiftTests(tests, prepared));
  const theta = target.parameters(Float64Array.from({ length: target.dimension }, (_, i) => 0.4 * Math.cos(i)));
  return { prepared, tests, target, theta, predicted: target.predictedLifts(theta) };
}

describe('Bayesian MMM log density gradient', () => {
  it('matches central differences: geometric + logistic, Normal likelihood (the Stan peer model)', () => {
    centralDifferenceCheck(base, false);
  });
  it('matches central differences with lift tests in the likelihood', () => {
    centralDifferenceCheck(base, true);
  });
  it('matches central differences in the coefficient coordinates (log β, as in the Stan program)', () => {
    centralDifferenceCheck(base, true, undefined, 'coefficient');
    centralDifferenceCheck({ ...base, saturation: 'hill', likelihood: 'studentT' }, true, 7, 'coefficient');
  });
  it('matches central differences: Hill saturation, Student-t likelihood, trend, unnormalized adstock, lift tests', () => {
    centralDifferenceCheck({ ...base, saturation: 'hill', likelihood: 'studentT', trend: true, adstock: { lMax: 6, normalize: false } }, true);
  });
  // Delayed and Weibull adstock: the direct convolution and the derivatives of the lag weights
  // (src/mmm/transforms/lagWeights.ts), through every saturation and likelihood, with lift tests.
  const adstocks: { name: string; adstock: MMMSpec['adstock'] }[] = [
    { name: 'delayed', adstock: { kind: 'delayed', lMax: 8 } },
    { name: 'Weibull CDF', adstock: { kind: 'weibull', weibullKind: 'cdf', lMax: 8 } },
    { name: 'Weibull PDF', adstock: { kind: 'weibull', weibullKind: 'pdf', lMax: 8 } },
    { name: 'Weibull PDF, unnormalized', adstock: { kind: 'weibull', weibullKind: 'pdf', lMax: 6, normalize: false } },
    { name: 'delayed, unnormalized', adstock: { kind: 'delayed', lMax: 6, normalize: false } },
  ];
  let seed = 100;
  for (const { name, adstock } of adstocks) {
    for (const saturation of ['logistic', 'hill'] as const) {
      for (const likelihood of ['normal', 'studentT'] as const) {
        const runSeed = seed++;
        it(`matches central differences at random points: ${name} + ${saturation}, ${likelihood}, lift tests`, () => {
          const { target } = centralDifferenceCheck({ ...base, adstock, saturation, likelihood }, true, runSeed);
          const names = target.layout.names;
          if (adstock!.kind === 'delayed') expect(names).toEqual(expect.arrayContaining(['alpha[x1]', 'theta[x1]', 'alpha[x2]', 'theta[x2]']));
          else expect(names).toEqual(expect.arrayContaining(['shape[x1]', 'scale[x1]', 'shape[x2]', 'scale[x2]']));
        });
      }
    }
  }

  it('predicts the same lift as the calibration module for delayed and Weibull adstock', () => {
    for (const { adstock } of adstocks) {
      for (const saturation of ['logistic', 'hill'] as const) {
        const { prepared, tests, target, theta, predicted } = liftsAtFixedPoint({ ...base, adstock, saturation });
        tests.forEach((test, k) => {
          const c = prepared.channels.indexOf(test.channel);
          // The curve goes through the transforms (delayedAdstock, weibullAdstock), not the model's convolution.
          const curve = mmmChannelCurve(prepared, target.layout, theta, c);
          expect(curve.adstock.kind).toBe(adstock!.kind);
          const reference = liftUnderCurve(curve, prepared.spend[test.channel], { first: prepared.dates.indexOf(test.start), last: prepared.dates.indexOf(test.end) }, test.spendChange);
          expect(Math.abs(predicted[k] - reference) / Math.abs(reference)).toBeLessThan(1e-9);
        });
      }
    }
  });

  it('predicts the same lift as the calibration module (channelContribution on the changed spend)', () => {
    for (const saturation of ['logistic', 'hill'] as const) {
      const { prepared, tests, target, theta, predicted } = liftsAtFixedPoint({ ...base, saturation });
      tests.forEach((test, k) => {
        const c = prepared.channels.indexOf(test.channel);
        const j = target.layout.channelStart[c];
        const curve: ChannelCurve = {
          adstock: { kind: 'geometric', alpha: theta[j + 1], lMax: 8, normalize: true },
          saturation: saturation === 'hill' ? { kind: 'hill', halfSaturation: theta[j + 2], slope: theta[j + 3] } : { kind: 'logistic', lambda: theta[j + 2] },
          coefficient: theta[j],
          spendScale: prepared.spendScale[test.channel],
          targetScale: prepared.targetScale,
        };
        const first = prepared.dates.indexOf(test.start);
        const last = prepared.dates.indexOf(test.end);
        const reference = liftUnderCurve(curve, prepared.spend[test.channel], { first, last }, test.spendChange);
        // Two summations of the same terms in different orders: agreement to ~1e-12 relative.
        expect(Math.abs(predicted[k] - reference) / Math.abs(reference)).toBeLessThan(1e-9);
      });
    }
  });
});

describe('the contribution coordinate (chapter 13)', () => {
  // The shear log β = log m − log s(ā; θ_sat) has a unit Jacobian, so at matching points the two coordinates
  // give the same log density (up to rounding), and the map back to the model's parameters is the identity.
  for (const saturation of ['logistic', 'hill'] as const) {
    it(`leaves the log density unchanged and round-trips the parameters: ${saturation} saturation`, () => {
      const prepared = prepareMMM(columns, { ...base, saturation, likelihood: 'studentT' });
      const priors = resolveMMMPriors(undefined);
      const contribution = mmmTarget(prepared, priors, [], 'contribution');
      const coefficient = mmmTarget(prepared, priors, [], 'coefficient');
      const d = contribution.dimension;
      const rng = createRng(11);
      let sheared = 0;
      for (let i = 0; i < 5; i++) {
        const theta = coefficient.parameters(Float64Array.from({ length: d }, () => normal(rng, 0, 0.7)));
        const u = contribution.unconstrain(theta);
        const uCoefficient = coefficient.unconstrain(theta);
        const back = contribution.parameters(u);
        theta.forEach((v, j) => expect(Math.abs(back[j] - v) / Math.abs(v), contribution.layout.names[j]).toBeLessThan(1e-12));
        const lp = contribution.logDensityGradient(u, new Float64Array(d));
        const lpCoefficient = coefficient.logDensityGradient(uCoefficient, new Float64Array(d));
        expect(Math.abs(lp - lpCoefficient) / Math.abs(lpCoefficient)).toBeLessThan(1e-12);
        // Only the channels' β coordinates and the intercept move: log m − log β = log s(ā; θ_sat) < 0, and
        // the intercept's coordinate adds κ_c m_c > 0 per channel.
        for (let j = 0; j < d; j++) {
          const name = contribution.layout.names[j];
          if (/^beta\[/.test(name)) {
            expect(u[j] - uCoefficient[j]).toBeLessThan(0);
            sheared++;
          } else if (name === 'intercept') expect(u[j] - uCoefficient[j]).toBeGreaterThan(0);
          else expect(u[j]).toBe(uCoefficient[j]);
        }
      }
      expect(sheared).toBe(5 * prepared.channels.length);
    });
  }

  it('keeps the coefficient coordinate for a β prior off the log bijection, and rejects unknown coordinates', () => {
    const prepared = prepareMMM(columns, base);
    const priors = { ...resolveMMMPriors(undefined), channel: Uniform(0, 5) };
    const target = mmmTarget(prepared, priors, [], 'contribution');
    const theta = target.parameters(new Float64Array(target.dimension).fill(0.2));
    expect(Array.from(target.unconstrain(theta))).toEqual(Array.from(mmmTarget(prepared, priors, [], 'coefficient').unconstrain(theta)));
    expect(() => mmmTarget(prepared, priors, [], 'log' as MMMCoordinates)).toThrow(/coordinates/);
  });
});
