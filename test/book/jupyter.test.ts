// Every notebook also runs through real Jupyter (nbclient) with the project's tslab kernel, as a reader's
// `npm run lab` would run it. Needs Debian's jupyter-client and python3-nbclient (installed by .ci/run).
//
// In CI (.ci/run sets MMM_CHAPTER_RUNNER=jupyter) the chapters themselves are executed through Jupyter:
// test/book/chapters.test.ts then checks that every chapter's report came from Jupyter, and the site shows
// those outputs, so each notebook runs once, not twice. Locally (in-process runner) this file runs one
// notebook through Jupyter as a smoke test of the kernel set-up.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chapterRunner, root } from '../../scripts/outputs.mjs';

const python = '/usr/bin/python3';
const hasJupyter = spawnSync(python, ['-c', 'import nbclient, nbformat, jupyter_client'], { encoding: 'utf8' }).status === 0;

function runNotebook(name: string): Promise<{ status: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(python, [join(root, 'scripts', 'run-notebook.py'), join(root, 'notebooks', name)], {
      cwd: root,
      env: { ...process.env, JUPYTER_PATH: join(root, 'notebooks') },
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('close', (status) => done({ status, output }));
  });
}

describe.runIf(hasJupyter || process.env.CI)('notebooks run in Jupyter with the tslab kernel', () => {
  it('finds Jupyter (install: apt-get install jupyter-client python3-nbclient jupyter-nbconvert)', () => {
    expect(hasJupyter).toBe(true);
  });
  it('in CI, chapters are executed through Jupyter (MMM_CHAPTER_RUNNER=jupyter)', () => {
    if (process.env.CI) expect(chapterRunner()).toBe('jupyter');
  });
  it.runIf(chapterRunner() !== 'jupyter')('a notebook runs through Jupyter (smoke test of the kernel set-up)', async () => {
    const { status, output } = await runNotebook('01-what-is-mmm.ipynb');
    expect(output).toMatch(/^ok /m);
    expect(status).toBe(0);
  });
});
