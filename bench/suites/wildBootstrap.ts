// The restricted wild cluster bootstrap of the event study's joint pre-trend test in the causal ladder's
// geo design (20 geos × 20 weeks, 11 leads, X 400 × 58): wildClusterBootstrap, which computes each draw's
// Wald statistic from G² precomputed q-vectors (Roodman, MacKinnon, Nielsen & Webb 2019), against the
// textbook bootstrap timed in the same run: for each draw, build y*, refit it with linearFit (clustered
// CR1 covariance) and recompute the Wald statistic. Same seed, same sign vectors: the two must give the
// same statistics (printed: largest relative difference), so the ratio compares equal work.
import { createRng, integer, matrix, solve } from '../../src/index';
import { linearFit, wildClusterBootstrap } from '../../src/causal/estimators/index';
import { simulateGeoExperiment } from '../../src/causal/ladder/index';
import { report, time } from '../timing';

export default function wildBootstrapBench(): void {
  const g = simulateGeoExperiment({ seed: 1 });
  const geos = Array.from(new Set(g.rows.map((r) => String(r.geo))));
  const weeks = g.weeks;
  const treated = new Set(g.treatedGeos);
  const events = weeks.filter((t) => t !== g.startWeek - 1);
  const p = events.length + 1 + (geos.length - 1) + (weeks.length - 1);
  const n = g.rows.length;
  const X = matrix(n, p);
  const y = new Float64Array(n);
  const clusters: string[] = [];
  g.rows.forEach((r, i) => {
    const geo = String(r.geo), week = r.week as number;
    events.forEach((t, j) => { X.data[i * p + j] = treated.has(geo) && week === t ? 1 : 0; });
    X.data[i * p + events.length] = 1;
    const gi = geos.indexOf(geo), wi = weeks.indexOf(week);
    if (gi > 0) X.data[i * p + events.length + gi] = 1;
    if (wi > 0) X.data[i * p + events.length + geos.length - 1 + wi] = 1;
    y[i] = r.sales as number;
    clusters.push(geo);
  });
  const leads = events.map((t, j) => (t < g.startWeek ? j : -1)).filter((j) => j >= 0);
  const restrictions = leads.map((j) => Array.from({ length: p }, (_, l) => (l === j ? 1 : 0)));
  const B = 99, seed = 5;

  const ours = () => wildClusterBootstrap(X, y, { clusters, restrictions, replications: B, seed });

  const naive = (): Float64Array => {
    const base = wildClusterBootstrap(X, y, { clusters, restrictions, replications: 1 });
    const fitted = new Float64Array(n), u = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += X.data[i * p + j] * base.restrictedCoefficients[j];
      fitted[i] = s;
      u[i] = y[i] - s;
    }
    const index = new Map(geos.map((x, k) => [x, k]));
    const rng = createRng(seed);
    const out = new Float64Array(B);
    const v = new Float64Array(geos.length);
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < geos.length; k++) v[k] = [1, -1][integer(rng, 2)];
      const ys = Float64Array.from(fitted, (f, i) => f + v[index.get(clusters[i]) as number] * u[i]);
      const fit = linearFit(X, ys, { clusters, clusterAdjustment: 'stata' });
      const q = leads.length;
      const V = matrix(q, q);
      leads.forEach((a, r) => leads.forEach((c, k) => { V.data[r * q + k] = fit.covariance.data[a * p + c]; }));
      const d = leads.map((j) => fit.coefficients[j]);
      const z = solve(V, d);
      out[b] = d.reduce((s, x, r) => s + x * z[r], 0);
    }
    return out;
  };

  const a = ours().statistics, b = naive();
  let worst = 0;
  for (let k = 0; k < B; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]) / Math.abs(b[k]));
  console.log(`${B} draws, X ${n} × ${p}, ${leads.length} leads, ${geos.length} clusters; largest relative difference of the statistics: ${worst.toExponential(2)}`);
  report(`wild cluster bootstrap, ${B} draws`, time(ours, { minRuns: 5, minMs: 500 }), time(naive, { warmup: 1, minRuns: 3, minMs: 0 }), 'refit per draw');
}
