// The Bayesian MMM against Stan (rstan) on data/mmm_example.csv, the model of
// /work/shared/peers/mmm_example.stan (copied in test/fixtures/stan_mmm_example/): geometric adstock
// (l_max 8, normalized), logistic saturation, controls event_1, event_2 and t/max(t), yearly Fourier order 2,
// no trend. Every run is 4 chains × (1000 warm-up + 1000 draws), one after another, on one core:
// - ours with fitMMM's defaults (diagonal metric, Laplace start, contribution coordinates; chapter 13),
// - ours with the dense metric (same start and coordinates),
// - ours with Stan's settings (diagonal metric, uniform start, log β coordinates), to show what the
//   defaults buy on the same sampler,
// - rstan with diag_e and with dense_e.
// The measure is the minimum bulk ESS over the model's parameters per CPU second of warm-up + sampling
// (Stan's compile time excluded); on a shared machine only CPU time is fair, wall time is printed beside
// it. Leapfrog steps per draw are deterministic and compare the samplers without the clock. Then the wall
// time of the same 4 × 1000 draws with `fitMMMOnWorkers` (one worker thread per core, each running its
// chains in turn). Goal (issue 4): ≥ 5× Stan, and 4 × 1000 draws in under 5 s. The Stan side is skipped,
// saying so, when Rscript with rstan is not installed (DEVELOPERS.md).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../src/data/csv';
import { fitMMM, type FitMMMOptions } from '../../src/mmm/bayes/index';
import { fitMMMOnWorkers } from '../../src/mmm/bayes/node';
import { cpus } from 'node:os';
import { essBulk, parameterDraws } from '../../src/sample/index';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const csv = join(root, 'data', 'mmm_example.csv');
const stanFile = join(root, 'test', 'fixtures', 'stan_mmm_example', 'mmm_example.stan');
const spec = { date: 'date_week', target: 'y', channels: ['x1', 'x2'], controls: ['event_1', 'event_2', 't'], trend: false as const };

interface StanRun {
  seconds: number;
  cpuSeconds: number;
  ess: number;
  steps: number;
  means: Record<string, number>;
}

function runStan(): Record<'diag_e' | 'dense_e', StanRun> | string {
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
pars <- c("intercept", "beta[1]", "beta[2]", "alpha[1]", "alpha[2]", "lam[1]", "lam[2]", "gamma[1]", "gamma[2]", "gamma[3]",
          "gamma_f[1]", "gamma_f[2]", "gamma_f[3]", "gamma_f[4]", "sigma")
out <- list()
for (metric in c("diag_e", "dense_e")) {
  cpu <- system.time(fit <- sampling(model, data = data, chains = 4, iter = 2000, warmup = 1000, seed = 1, refresh = 0, cores = 1,
                                     control = list(metric = metric)))
  a <- as.array(fit, pars = pars)
  ess <- sapply(pars, function(p) ess_bulk(a[, , p]))
  means <- as.list(sapply(pars, function(p) mean(a[, , p])))
  steps <- mean(sapply(get_sampler_params(fit, inc_warmup = FALSE), function(s) mean(s[, "n_leapfrog__"])))
  # system.time's "elapsed" is the wall clock; user + system the CPU time.
  out[[metric]] <- list(seconds = unname(cpu["elapsed"]), cpuSeconds = unname(cpu["user.self"] + cpu["sys.self"]), ess = min(ess), steps = steps, means = means)
}
cat(toJSON(out, auto_unbox = TRUE, digits = NA), file = "${join(dir, 'stan.json')}")
`;
  writeFileSync(join(dir, 'bench.R'), script);
  const run = spawnSync('Rscript', [join(dir, 'bench.R')], { encoding: 'utf8' });
  if (run.status !== 0) return `rstan failed: ${run.stderr.slice(-1500)}`;
  return JSON.parse(readFileSync(join(dir, 'stan.json'), 'utf8'));
}

interface OursRun {
  seconds: number;
  cpuSeconds: number;
  ess: number;
  worst: string;
  steps: number;
  warnings: number;
  fit: ReturnType<typeof fitMMM>;
}

function minEss(fit: ReturnType<typeof fitMMM>): { ess: number; worst: string } {
  let ess = Infinity;
  let worst = '';
  for (const name of fit.parameterNames) {
    const e = essBulk(parameterDraws(fit.samples, name));
    if (e < ess) {
      ess = e;
      worst = name;
    }
  }
  return { ess, worst };
}

type Setting = 'defaults' | 'dense' | 'stan';
const SETTINGS: Record<Setting, { label: string; options: Partial<FitMMMOptions> }> = {
  defaults: { label: "fitMMM's defaults (diag metric, Laplace start, contribution coordinates)", options: {} },
  dense: { label: 'dense metric (Laplace start, contribution coordinates)', options: { metric: 'dense' } },
  stan: { label: "Stan's settings (diag metric, uniform start, log β coordinates)", options: { metric: 'diag', start: 'uniform', coordinates: 'coefficient' } },
};

function runOurs(setting: Setting, columns: ReturnType<typeof parseCsv>['columns']): OursRun {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const fit = fitMMM(columns, spec, { seed: 1, chains: 4, warmup: 1000, draws: 1000, ...SETTINGS[setting].options });
  const cpu = process.cpuUsage(c0);
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const steps = fit.samples.chains.reduce((s, c) => s + c.leapfrogSteps.reduce((a, b) => a + b, 0), 0) / 4000;
  return { seconds, cpuSeconds, ...minEss(fit), steps, warnings: fit.warnings.length, fit };
}

const says = (ratio: number) => (ratio >= 1 ? `${ratio.toFixed(2)}× faster` : `${(1 / ratio).toFixed(2)}× slower`);

export default async function bench(): Promise<void> {
  const columns = parseCsv(readFileSync(csv, 'utf8')).columns;
  for (const setting of ['defaults', 'dense', 'stan'] as const) fitMMM(columns, spec, { seed: 0, chains: 1, warmup: 150, draws: 100, ...SETTINGS[setting].options }); // warm up the JIT
  const ours = { defaults: runOurs('defaults', columns), dense: runOurs('dense', columns), stan: runOurs('stan', columns) };
  for (const setting of ['defaults', 'dense', 'stan'] as const) {
    const r = ours[setting];
    console.log(
      `mmm_example, 4 × (1000 warm-up + 1000 draws), one after another, ${SETTINGS[setting].label}: ${r.steps.toFixed(1)} leapfrog steps per draw, ` +
        `${r.cpuSeconds.toFixed(2)} s CPU, ${r.seconds.toFixed(2)} s wall, min bulk ESS ${r.ess.toFixed(0)} (${r.worst}), ` +
        `${(r.ess / r.cpuSeconds).toFixed(1)} ESS per CPU s; warnings: ${r.warnings}`,
    );
  }
  console.log(
    `mmm_example, fitMMM's defaults vs Stan's settings on our sampler: ${says(ours.defaults.ess / ours.defaults.cpuSeconds / (ours.stan.ess / ours.stan.cpuSeconds))} per CPU s`,
  );
  const cores = cpus().length;
  for (const setting of ['defaults', 'dense'] as const) {
    // Three runs: the machine is shared, so the median says more than one run.
    const walls: number[] = [];
    let same = true;
    let ess = 0;
    for (let run = 0; run < 3; run++) {
      const t0 = performance.now();
      const fit = await fitMMMOnWorkers(columns, spec, { seed: 1, chains: 4, warmup: 1000, draws: 1000, ...SETTINGS[setting].options });
      walls.push((performance.now() - t0) / 1000);
      same &&= fit.samples.chains.every((c, k) => c.draws.every((v, i) => v === ours[setting].fit.samples.chains[k].draws[i]));
      ess = minEss(fit).ess;
    }
    const median = [...walls].sort((a, b) => a - b)[1];
    console.log(
      `mmm_example, fitMMMOnWorkers, ${SETTINGS[setting].label}: 4 × 1000 draws in ${median.toFixed(2)} s wall, median of ${walls.map((w) => w.toFixed(2)).join(', ')} ` +
        `(goal < 5 s), on ${Math.min(cores, 4)} worker threads (this machine has ${cores} cores, shared), ${(ess / median).toFixed(1)} min bulk ESS per wall s; ` +
        `same draws as fitMMM: ${same}`,
    );
  }
  const stan = runStan();
  if (typeof stan === 'string') {
    console.log(`mmm: Stan comparison skipped (${stan})`);
    return;
  }
  for (const [setting, stanMetric] of [['defaults', 'diag_e'], ['stan', 'diag_e'], ['dense', 'dense_e']] as const) {
    const r = ours[setting];
    const s = stan[stanMetric];
    console.log(
      `mmm_example, rstan ${stanMetric}: ${s.steps.toFixed(1)} leapfrog steps per draw, ${s.cpuSeconds.toFixed(1)} s CPU, ${s.seconds.toFixed(1)} s wall, ` +
        `min bulk ESS ${s.ess.toFixed(0)}, ${(s.ess / s.cpuSeconds).toFixed(1)} ESS per CPU s → ours (${SETTINGS[setting].label}) ` +
        `${says(r.ess / r.cpuSeconds / (s.ess / s.cpuSeconds))} per CPU s (goal ≥ 5×), ${says(r.ess / r.seconds / (s.ess / s.seconds))} per wall s`,
    );
  }
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
  const fit = ours.defaults.fit;
  console.log(
    `posterior means, rstan (diag_e) vs ours (defaults): ${pairs.map(([s, o]) => `${o} ${stan.diag_e.means[s].toFixed(4)}/${fit.summary([o])[0].mean.toFixed(4)}`).join(', ')}`,
  );
}
