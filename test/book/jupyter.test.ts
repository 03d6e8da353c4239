// Every notebook also runs through real Jupyter (nbclient) with the project's tslab kernel, as a reader's
// `npm run lab` would run it. Needs Debian's jupyter-client and python3-nbclient (installed by .ci/run).
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../../scripts/outputs.mjs';

const python = '/usr/bin/python3';
const hasJupyter = spawnSync(python, ['-c', 'import nbclient, nbformat, jupyter_client'], { encoding: 'utf8' }).status === 0;
const notebooks = readdirSync(join(root, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort();

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
  for (const name of notebooks) {
    it.concurrent(name, async () => {
      const { status, output } = await runNotebook(name);
      expect(output).toMatch(/^ok /m);
      expect(status).toBe(0);
    });
  }
});
