// Every notebook also runs through real Jupyter (nbclient) with the project's tslab kernel, as a reader's
// `npm run lab` would run it. Needs Debian's jupyter-client and python3-nbclient (installed by .ci/run).
//
// In CI (.ci/run sets MMM_CHAPTER_RUNNER=jupyter) the chapters themselves are executed through Jupyter:
// test/book/chapters.test.ts then checks that every chapter's report came from Jupyter, and the site shows
// those outputs, so each notebook runs once, not twice. This file checks the set-up itself: Jupyter is
// there, and a committed notebook runs with the project's kernel.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../../scripts/outputs.mjs';

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

describe('notebooks run in Jupyter with the tslab kernel', () => {
  it('finds Jupyter (install: apt-get install jupyter-client python3-nbclient jupyter-nbconvert)', () => {
    expect(hasJupyter).toBe(true);
  });
  // A committed notebook, opened by name with the kernelspec in notebooks/kernels, as `npm run lab` opens it
  // (the chapters' own runs use notebooks generated on the fly).
  it('a committed notebook runs through Jupyter with the project kernel', async () => {
    const { status, output } = await runNotebook('01-what-is-mmm.ipynb');
    expect(output).toMatch(/^ok /m);
    expect(status).toBe(0);
  });
});
