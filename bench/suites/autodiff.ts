// The gradient of a Bayesian linear regression's log posterior (n = 200, p = 10; β ~ N(0, 2), α ~ N(0, 5),
// σ ~ HalfNormal(1) sampled as log σ): the autodiff tape (createLogDensity, reusing its tape) against the
// same gradient written by hand in plain loops, timed in the same run. A ratio near 1 means a model written
// on the tape costs a sampler little more than hand-derived code would.
import { createLogDensity, createRng, halfNormalFamily, matrix, normalFamily, standardNormal } from '../../src/index';
import { report, time } from '../timing';

export default function autodiffBench(): void {
  const n = 200;
  const p = 10;
  const rng = createRng(20240701);
  const X = matrix(n, p);
  for (let k = 0; k < n * p; k++) X.data[k] = standardNormal(rng);
  const y = Float64Array.from({ length: n }, (_, i) => 1 + X.data[i * p] - 0.5 * X.data[i * p + 1] + 0.3 * standardNormal(rng));
  const d = p + 2;

  const target = createLogDensity(d, (t, theta) => {
    const beta = t.slice(theta, 0, p);
    const alpha = t.index(theta, p);
    const u = t.index(theta, p + 1);
    const sigma = t.exp(u);
    const mu = t.add(t.matVec(X, beta), alpha);
    const likelihood = t.logDensity(normalFamily, y, mu, sigma);
    const priors = t.add(t.add(t.logDensity(normalFamily, beta, 0, 2), t.logDensity(normalFamily, alpha, 0, 5)), t.logDensity(halfNormalFamily, sigma, 1));
    return t.add(t.add(likelihood, priors), u);
  });

  // The same log density and gradient, derived by hand (constants included, so the values agree).
  const residual = new Float64Array(n);
  const LOG_2PI = Math.log(2 * Math.PI);
  function handWritten(theta: Float64Array, g: Float64Array): number {
    const u = theta[p + 1];
    const sigma = Math.exp(u);
    const s2 = sigma * sigma;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      let mu = theta[p];
      const row = i * p;
      for (let j = 0; j < p; j++) mu += X.data[row + j] * theta[j];
      const r = y[i] - mu;
      residual[i] = r / s2;
      squares += r * r;
    }
    g.fill(0);
    let sumResidual = 0;
    for (let i = 0; i < n; i++) {
      const w = residual[i];
      const row = i * p;
      for (let j = 0; j < p; j++) g[j] += w * X.data[row + j];
      sumResidual += w;
    }
    let priorBeta = 0;
    for (let j = 0; j < p; j++) {
      g[j] -= theta[j] / 4;
      priorBeta += theta[j] * theta[j];
    }
    g[p] = sumResidual - theta[p] / 25;
    g[p + 1] = -n + squares / s2 - s2 + 1;
    return (
      -0.5 * squares / s2 - n * (u + 0.5 * LOG_2PI) +
      (-priorBeta / 8 - p * (Math.log(2) + 0.5 * LOG_2PI)) +
      (-0.5 * theta[p] * theta[p] / 25 - Math.log(5) - 0.5 * LOG_2PI) +
      (0.5 * Math.log(2 / Math.PI) - 0.5 * s2) + u
    );
  }

  // Same answer first.
  const theta = Float64Array.from({ length: d }, (_, j) => 0.1 * (j - 5));
  const gAd = new Float64Array(d);
  const gHand = new Float64Array(d);
  const vAd = target.logDensityGradient(theta, gAd);
  const vHand = handWritten(theta, gHand);
  let diff = Math.abs(vAd - vHand) / Math.abs(vHand);
  for (let j = 0; j < d; j++) diff = Math.max(diff, Math.abs(gAd[j] - gHand[j]) / Math.max(1, Math.abs(gHand[j])));
  console.log(`n = ${n}, p = ${p}: max relative difference of value and gradient, tape vs hand-written = ${diff.toExponential(2)}`);

  // Many evaluations per timing, at moving points, as a sampler would call them.
  const calls = 1000;
  const points = Array.from({ length: 16 }, (_, k) => Float64Array.from(theta, (v, j) => v + 0.01 * Math.sin(k + j)));
  const gradient = new Float64Array(d);
  let sink = 0;
  const tape = () => {
    for (let c = 0; c < calls; c++) sink += target.logDensityGradient(points[c & 15], gradient);
  };
  const hand = () => {
    for (let c = 0; c < calls; c++) sink += handWritten(points[c & 15], gradient);
  };
  const valueOnly = () => {
    for (let c = 0; c < calls; c++) sink += target.logDensity(points[c & 15]);
  };
  // Three alternating rounds: on a shared machine the load changes between two timings, and the spread
  // of the three ratios shows how much.
  for (let round = 1; round <= 3; round++) {
    const ours = time(tape);
    const peer = time(hand);
    report(`round ${round}: log density + gradient ×${calls} (autodiff tape vs hand-written)`, ours, peer, 'hand-written');
  }
  report(`log density only ×${calls} (tape, no reverse pass) vs hand-written value + gradient`, time(valueOnly), time(hand), 'hand-written');
  if (!Number.isFinite(sink)) console.log('unexpected non-finite result');
}
