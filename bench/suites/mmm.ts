// The Bayesian MMM against Stan (rstan) on data/mmm_example.csv, the model of
// /work/shared/peers/mmm_example.stan (copied in test/fixtures/stan_mmm_example/): geometric adstock
// (l_max 8, normalized), logistic saturation, controls event_1, event_2 and t/max(t), yearly Fourier order 2,
// no trend. Both run 4 chains × (1000 warm-up + 1000 draws), one after another, on one core. The measure is
// the minimum bulk ESS over the model's parameters per second of warm-up + sampling (Stan's compile time
// excluded), in wall-clock seconds and in CPU seconds; on a shared machine only the CPU ratio is fair. Goal (issue 4): ≥ 5× Stan, and 4 × 1000 draws in under 5 s.
// The Stan side is skipped, saying so, when Rscript with rstan is not installed (DEVELOPERS.md).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../src/data/csv';
import { fitMMM } from '../../src/mmm/bayes/index';
import { essBulk, parameterDraws } from '../../src/sample/index';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const csv = join(root, 'data', 'mmm_example.csv');
const stanFile = join(root, 'test', 'fixtures', 'stan_mmm_example', 'mmm_example.stan');
const spec = { date: 'date_week', target: 'y', channels: ['x1', 'x2'], controls: ['event_1', 'event_2', 't'], trend: false as const };

function runStan(): { seconds: number; cpuSeconds: number; ess: number; steps: number; means: Record<string, number> } | string {
  const probe = spawnSync('Rscript', ['-e', 'suppressMessages(library(rstan)); cat("ok")'], { encoding: 'utf8' });
  if (probe.status !== 0 || !probe.stdout.includes('ok')) return 'Rscript with rstan not found';
  const dir = mkdtempSync(join(tmpdir(), 'mmm-bench-'));
  const script = `
suppressMessages(library(rstan)); library(jsonlite)
d <- read.csv("${csv}")
doy <- d$dayofyear
data <- list(T = nrow(d), C = 2, K = 3, L = 8,
  x = cbind(d$x1 / max(d$x1), d$x2 / max(d$x2)),
  z = cbind(d$event_1 / max(abs(d$event_1)), d$event_2 / max(abs(d$event_2)), d$t / max(abs(d$t))),
  f = cbind(sin(2 * pi * doy / 365.25), cos(2 * pi * doy / 365.25), sin(4 * pi * doy / 365.25), cos(4 * pi * doy / 365.25)),
  y = d$y / max(abs(d$y)))
model <- stan_model("${stanFile}")
cpu <- system.time(fit <- sampling(model, data = data, chains = 4, iter = 2000, warmup = 1000, seed = 1, refresh = 0, cores = 1))
e <- get_elapsed_time(fit)
pars <- c("intercept", "beta[1]", "beta[2]", "alpha[1]", "alpha[2]", "lam[1]", "lam[2]", "gamma[1]", "gamma[2]", "gamma[3]",
          "gamma_f[1]", "gamma_f[2]", "gamma_f[3]", "gamma_f[4]", "sigma")
a <- as.array(fit, pars = pars)
ess <- sapply(pars, function(p) ess_bulk(a[, , p]))
means <- as.list(sapply(pars, function(p) mean(a[, , p])))
steps <- mean(sapply(get_sampler_params(fit, inc_warmup = FALSE), function(s) mean(s[, "n_leapfrog__"])))
# get_elapsed_time measures CPU time (Stan times with clock()); system.time's "elapsed" is the wall clock.
cat(toJSON(list(seconds = unname(cpu["elapsed"]), cpuSeconds = unname(cpu["user.self"] + cpu["sys.self"]), ess = min(ess), steps = steps, means = means), auto_unbox = TRUE, digits = NA),
    file = "${join(dir, 'stan.json')}")
`;
  writeFileSync(join(dir, 'bench.R'), script);
  const run = spawnSync('Rscript', [join(dir, 'bench.R')], { encoding: 'utf8' });
  if (run.status !== 0) return `rstan failed: ${run.stderr.slice(-1500)}`;
  return JSON.parse(readFileSync(join(dir, 'stan.json'), 'utf8'));
}

export default function bench(): void {
  const columns = parseCsv(readFileSync(csv, 'utf8')).columns;
  fitMMM(columns, spec, { seed: 0, chains: 1, warmup: 150, draws: 100 }); // warm up the JIT
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const fit = fitMMM(columns, spec, { seed: 1, chains: 4, warmup: 1000, draws: 1000 });
  const cpu = process.cpuUsage(c0);
  const seconds = (performance.now() - t0) / 1000;
  // CPU seconds as well as wall seconds: on a shared machine the wall clock measures the neighbours too.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  let ess = Infinity;
  let worst = '';
  for (const name of fit.parameterNames) {
    const e = essBulk(parameterDraws(fit.samples, name));
    if (e < ess) {
      ess = e;
      worst = name;
    }
  }
  const steps = fit.samples.chains.reduce((s, c) => s + c.leapfrogSteps.reduce((a, b) => a + b, 0), 0);
  console.log(
    `mmm_example, 4 × (1000 warm-up + 1000 draws): ours ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU (goal < 5 s), min bulk ESS ${ess.toFixed(0)} (${worst}), ` +
      `${(ess / seconds).toFixed(1)} ESS/s; ${(steps / 4000).toFixed(1)} leapfrog steps per draw; warnings: ${fit.warnings.length}`,
  );
  const stan = runStan();
  if (typeof stan === 'string') {
    console.log(`mmm: Stan comparison skipped (${stan})`);
    return;
  }
  const says = (ratio: number) => (ratio >= 1 ? `${ratio.toFixed(2)}× faster` : `${(1 / ratio).toFixed(2)}× slower`);
  const ours = ess / seconds;
  const theirs = stan.ess / stan.seconds;
  console.log(
    `mmm_example, min bulk ESS per wall second of warm-up + sampling: ours ${ours.toFixed(1)}, rstan ${theirs.toFixed(1)} ` +
      `(ESS ${stan.ess.toFixed(0)} in ${stan.seconds.toFixed(1)} s wall) → ${says(ours / theirs)} (goal ≥ 5×; the wall clock counts the machine's other load)`,
  );
  const oursCpu = ess / cpuSeconds;
  const theirsCpu = stan.ess / stan.cpuSeconds;
  console.log(
    `mmm_example, min bulk ESS per CPU second: ours ${oursCpu.toFixed(1)}, rstan ${theirsCpu.toFixed(1)} ` +
      `(${stan.cpuSeconds.toFixed(1)} CPU s; ${stan.steps.toFixed(1)} leapfrog steps per draw) → ${says(oursCpu / theirsCpu)}`,
  );
  const pairs: [string, string][] = [
    ['intercept', 'intercept'],
    ['beta[1]', 'beta[x1]'],
    ['beta[2]', 'beta[x2]'],
    ['alpha[1]', 'alpha[x1]'],
    ['alpha[2]', 'alpha[x2]'],
    ['lam[1]', 'lam[x1]'],
    ['lam[2]', 'lam[x2]'],
    ['sigma', 'sigma'],
  ];
  console.log(`posterior means, rstan vs ours: ${pairs.map(([s, o]) => `${o} ${stan.means[s].toFixed(4)}/${fit.summary([o])[0].mean.toFixed(4)}`).join(', ')}`);
}
