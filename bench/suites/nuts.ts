// NUTS against Stan's own NUTS (rstan), on posteriordb's eight_schools_noncentered: effective draws per
// second of sampling (Stan's compile time excluded, its sampling time as rstan reports it), both with
// 4 chains × 1000 warm-up + 1000 draws, run one after another on this machine. rstan 2.21 reports
// clock(), the process's CPU time (StanHeaders' services/util/run_sampler.hpp), so ours is CPU time
// too (process.cpuUsage, user + system): on a shared machine wall time would charge us for other
// processes' load. The wall time is printed beside it. Skipped, saying so,
// when Rscript with rstan is not installed (see DEVELOPERS.md for installing it). Ours is timed after the
// JIT has warmed up (two full runs), as the median of five: a first run is 2–3× slower while V8 tiers up.
// rstan's time is one run of compiled C++.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eightSchoolsTarget, essBulk, nuts, parameterDraws, samplerWarnings } from '../../src/sample/index';

const fixture = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'test', 'fixtures', 'posteriordb', 'eight_schools-eight_schools_noncentered');

export default function bench(): void {
  const probe = spawnSync('Rscript', ['-e', 'suppressMessages(library(rstan)); cat("ok")'], { encoding: 'utf8' });
  if (probe.status !== 0 || !probe.stdout.includes('ok')) {
    console.log('nuts: skipped (Rscript with rstan not found)');
    return;
  }
  const data = JSON.parse(readFileSync(join(fixture, 'data.json'), 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'nuts-bench-'));
  const script = `
suppressMessages(library(rstan)); library(jsonlite)
# posteriordb's model.stan in the pre-2.26 array syntax that rstan 2.21 parses
model <- stan_model(model_code = "
data { int<lower=0> J; real y[J]; real<lower=0> sigma[J]; }
parameters { vector[J] theta_trans; real mu; real<lower=0> tau; }
transformed parameters { vector[J] theta = theta_trans * tau + mu; }
model { theta_trans ~ normal(0, 1); y ~ normal(theta, sigma); mu ~ normal(0, 5); tau ~ cauchy(0, 5); }
")
data <- fromJSON("${join(fixture, 'data.json')}")
fit <- sampling(model, data = data, chains = 4, iter = 2000, warmup = 1000, seed = 1, refresh = 0, cores = 1)
seconds <- sum(get_elapsed_time(fit)[, "sample"] + get_elapsed_time(fit)[, "warmup"])
draws <- as.array(fit, pars = c("mu", "tau"))
ess <- min(ess_bulk(draws[, , "mu"]), ess_bulk(draws[, , "tau"]))
cat(toJSON(list(seconds = seconds, ess = ess), auto_unbox = TRUE, digits = NA), file = "${join(dir, 'stan.json')}")
`;
  writeFileSync(join(dir, 'bench.R'), script);
  const run = spawnSync('Rscript', [join(dir, 'bench.R')], { encoding: 'utf8' });
  if (run.status !== 0) {
    console.log(`nuts: rstan failed, skipped\n${run.stderr.slice(-2000)}`);
    return;
  }
  const stan = JSON.parse(readFileSync(join(dir, 'stan.json'), 'utf8')) as { seconds: number; ess: number };

  const target = eightSchoolsTarget({ y: data.y, sigma: data.sigma, centered: false });
  // Warm up the JIT with two full runs (the first run of a process is 2-3x slower while V8 tiers up),
  // then take the median CPU time of five identical runs (same seed: the same work each time).
  for (const seed of [101, 102]) nuts(target, { seed, chains: 4, warmup: 1000, draws: 1000 });
  const cpuSeconds = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1e6;
  };
  const runs: { cpu: number; wall: number }[] = [];
  const timedRun = () => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const result = nuts(target, { seed: 1, chains: 4, warmup: 1000, draws: 1000 });
    runs.push({ cpu: cpuSeconds(c0), wall: (performance.now() - t0) / 1000 });
    return result;
  };
  const fit = timedRun();
  for (let r = 1; r < 5; r++) timedRun();
  runs.sort((x, y) => x.cpu - y.cpu);
  const seconds = runs[2].cpu;
  const wall = runs[2].wall;
  const ess = Math.min(essBulk(parameterDraws(fit, 'mu')), essBulk(parameterDraws(fit, 'tau')));
  // `nuts` also computes its warnings (R-hat, bulk and tail ESS of every parameter), which rstan's
  // elapsed time does not include; time them again alone to report the sampling-only ratio too.
  const c1 = process.cpuUsage();
  for (let r = 0; r < 5; r++) samplerWarnings(fit);
  const diagnostics = cpuSeconds(c1) / 5;

  const ours = ess / seconds;
  const theirs = stan.ess / stan.seconds;
  const ratio = ours / theirs;
  const samplingOnly = ess / Math.max(seconds - diagnostics, 1e-9) / theirs;
  const describe = (r: number) => (r >= 1 ? `${r.toFixed(2)}× faster` : `${(1 / r).toFixed(2)}× slower`);
  console.log(
    `eight_schools_noncentered, min bulk ESS of (mu, tau) per CPU second of warm-up + sampling: ours ${ours.toFixed(0)} ` +
      `(ESS ${ess.toFixed(0)} in ${seconds.toFixed(2)} s CPU, median of 5 runs, ${wall.toFixed(2)} s wall, of which ${diagnostics.toFixed(3)} s diagnostics), rstan ${theirs.toFixed(0)} ` +
      `(ESS ${stan.ess.toFixed(0)} in ${stan.seconds.toFixed(2)} s) → ${describe(ratio)}; sampling only: ${describe(samplingOnly)}`,
  );
}
