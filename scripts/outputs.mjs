// The outputs of every chapter's cells, executed once and cached by content.
//
// The cache key covers everything a cell's output can depend on: the chapter's text, the library (`src/`),
// the data (`data/`), the runner and the installed packages (package-lock.json). The tests, `npm start`
// and `npm run build` all go through `chapterOutputs`, so the site shows exactly what ran in the tests.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, renameSync, unlinkSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chapterKey } from './chapter.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const bookDir = join(root, 'book');
const cacheDir = join(root, '.vitepress', 'cache', 'outputs');

function hashTree(hash, dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) hashTree(hash, path);
    else {
      hash.update(path.slice(root.length));
      hash.update(readFileSync(path));
    }
  }
}

/** A digest of what every chapter depends on besides its own text. */
export function environmentDigest() {
  const hash = createHash('sha256');
  hash.update(process.version);
  // Outputs record which runner made them; CI's Jupyter runs must not be answered from a tslab cache.
  hash.update(chapterRunner());
  for (const dir of ['src', 'data']) hashTree(hash, join(root, dir));
  for (const file of ['scripts/run-chapter.mjs', 'scripts/run-notebook.py', 'scripts/chapter.mjs', 'package-lock.json']) {
    const path = join(root, file);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  return hash.digest('hex');
}

function cacheEntry(chapterPath, environment) {
  const absolute = resolve(root, chapterPath);
  const key = chapterKey(bookDir, absolute);
  const digest = createHash('sha256').update(environment).update(readFileSync(absolute)).digest('hex');
  const file = join(cacheDir, key.replace(/\//g, '__') + '.json');
  return { absolute, key, digest, file };
}

function readCache({ file, digest }) {
  if (!existsSync(file)) return null;
  const cached = JSON.parse(readFileSync(file, 'utf8'));
  return cached.digest === digest ? { ...cached.report, cached: true } : null;
}

function storeRun(entry, tmp, status, stderr) {
  if (status !== 0 || !existsSync(tmp)) {
    throw new Error(`the chapter runner broke on ${entry.key} (exit ${status}):\n${stderr}`);
  }
  const report = JSON.parse(readFileSync(tmp, 'utf8'));
  report.chapter = entry.key;
  writeFileSync(tmp, JSON.stringify({ digest: entry.digest, report }));
  renameSync(tmp, entry.file); // atomic: a concurrent build never reads half a file
  return { ...report, cached: false };
}

let runs = 0;
const runnerArgs = (entry, tmp) => [join(root, 'scripts', 'run-chapter.mjs'), entry.absolute, tmp];
const runnerOptions = { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } };
const jupyterOptions = { cwd: root, env: { ...process.env, FORCE_COLOR: '0', JUPYTER_PATH: join(root, 'notebooks') } };
const jupyterArgs = (tmp, notebook) => [join(root, 'scripts', 'run-notebook.py'), '--report', tmp, notebook];

// jupyter_client picks a free port and the kernel binds it later; with several kernels starting at once
// another process can take the port in between ("Address already in use"). That is the transport failing
// before any cell ran (run-notebook.py exits 2), not the chapter: the kernel is started again, at most twice.
const lostPort = ({ status, stderr }) => status === 2 && /EADDRINUSE|Address already in use|Kernel didn't respond/.test(stderr);
const maxRestarts = 2;

/**
 * The executed outputs of the chapter at `chapterPath` (absolute, or relative to the project root):
 * from the cache when nothing it depends on changed, otherwise by running it in a fresh process with the
 * runner `chapterRunner()` names (as `chapterOutputsAsync` does). Returns the runner's report:
 * `{ chapter, ok, cells, failure, cached, runner }`.
 */
export function chapterOutputs(chapterPath, { force = false, environment = environmentDigest() } = {}) {
  const entry = cacheEntry(chapterPath, environment);
  const hit = force ? null : readCache(entry);
  if (hit) return hit;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${entry.file}.${process.pid}.tmp`;
  const sync = { encoding: 'utf8', maxBuffer: 1 << 28 };
  if (chapterRunner() !== 'jupyter') {
    const run = spawnSync(process.execPath, runnerArgs(entry, tmp), { ...runnerOptions, ...sync });
    return storeRun(entry, tmp, run.status, run.stderr || String(run.error));
  }
  // notebooks.mjs imports this module, so the notebook is written by a child process (a static import
  // here would be circular and a dynamic one is asynchronous).
  const notebook = `${tmp}.ipynb`;
  const write = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', 'const [chapter, out] = process.argv.slice(1); const { notebookFor } = await import(process.env.MMM_NOTEBOOKS_MODULE); (await import("node:fs")).writeFileSync(out, notebookFor(chapter));', '--', entry.absolute, notebook],
    { ...runnerOptions, env: { ...runnerOptions.env, MMM_NOTEBOOKS_MODULE: new URL('./notebooks.mjs', import.meta.url).href }, ...sync },
  );
  if (write.status !== 0) throw new Error(`could not write the notebook of ${entry.key}:\n${write.stderr}`);
  let run = spawnSync('/usr/bin/python3', jupyterArgs(tmp, notebook), { ...jupyterOptions, ...sync });
  let result = { status: run.status, stderr: run.stderr || String(run.error) };
  for (let restart = 0; restart < maxRestarts && lostPort(result); restart++) {
    run = spawnSync('/usr/bin/python3', jupyterArgs(tmp, notebook), { ...jupyterOptions, ...sync });
    result = { status: run.status, stderr: run.stderr || String(run.error) };
  }
  if (existsSync(notebook)) unlinkSync(notebook);
  return storeRun(entry, tmp, result.status, result.stderr);
}

/**
 * Which runner executes a chapter when its outputs are not cached: 'tslab' (in-process, tslab's own
 * converter and executor) or 'jupyter' (the chapter's notebook through real Jupyter and the project's
 * kernel, via nbclient). CI sets MMM_CHAPTER_RUNNER=jupyter so that every notebook runs through Jupyter
 * once, and that run is also what the site shows. Both produce the same report.
 */
export function chapterRunner() {
  return process.env.MMM_CHAPTER_RUNNER === 'jupyter' ? 'jupyter' : 'tslab';
}

/** As `chapterOutputs`, without blocking: several chapters can run at once (the test suite does). */
export async function chapterOutputsAsync(chapterPath, { force = false, environment = environmentDigest() } = {}) {
  const entry = cacheEntry(chapterPath, environment);
  const hit = force ? null : readCache(entry);
  if (hit) return hit;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${entry.file}.${process.pid}.${++runs}.tmp`;
  let notebook = null;
  const start = async () => {
    let child;
    if (chapterRunner() === 'jupyter') {
      // The notebook is generated from the chapter text now, so it is exactly the chapter that is cached.
      const { notebookFor } = await import('./notebooks.mjs');
      notebook = `${tmp}.ipynb`;
      writeFileSync(notebook, notebookFor(entry.absolute));
      child = spawn('/usr/bin/python3', jupyterArgs(tmp, notebook), { ...jupyterOptions, stdio: ['ignore', 'ignore', 'pipe'] });
    } else {
      child = spawn(process.execPath, runnerArgs(entry, tmp), { ...runnerOptions, stdio: ['ignore', 'ignore', 'pipe'] });
    }
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const status = await new Promise((done) => child.on('close', done));
    return { status, stderr };
  };
  let result = await start();
  for (let restart = 0; restart < maxRestarts && lostPort(result); restart++) result = await start();
  if (notebook && existsSync(notebook)) unlinkSync(notebook);
  return storeRun(entry, tmp, result.status, result.stderr);
}
