#!/usr/bin/env node
// Executes a chapter's `ts` cells in order, exactly as the notebook's kernel would, and records each
// cell's outputs. It drives tslab's own converter and executor (the code behind the Jupyter kernel), so a
// cell that type-checks and runs here does the same in `npm run lab`; only the ZeroMQ transport differs.
//
//   node scripts/run-chapter.mjs book/part-2/03-least-squares.md [out.json]
//
// Writes { chapter, ok, cells: [{ index, ok, ms, outputs }], failure } as JSON (to out.json or stdout).
// Outputs are { type: 'stream', name: 'stdout' | 'stderr', text } or { type: 'display', data: { mime: value } }.
// Exit status 0 even when a cell fails: the caller reads `ok`. Exit 2 if the runner itself broke.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatWithOptions } from 'node:util';
import { codeCells } from './chapter.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [chapterArg, outArg] = process.argv.slice(2);
if (!chapterArg) {
  console.error('usage: node scripts/run-chapter.mjs <chapter.md> [out.json]');
  process.exit(2);
}
const chapterPath = resolve(chapterArg);
// tslab resolves the cells' imports (`./src/...`) against its working directory: the project root.
process.chdir(root);

const require = createRequire(resolve(root, 'package.json'));
const { createConverter } = require('tslab/dist/converter');
const { createExecutor } = require('tslab/dist/executor');
const jupyter = require('tslab/dist/jupyter');

const cells = codeCells(readFileSync(chapterPath, 'utf8'));
const results = [];
let current = null;
const format = (args) => formatWithOptions({ colors: false }, ...args);

function emitStream(name, text) {
  if (!current) return;
  const last = current.outputs[current.outputs.length - 1];
  if (last && last.type === 'stream' && last.name === name) last.text += text;
  else current.outputs.push({ type: 'stream', name, text });
}

// Everything a cell prints goes to the cell being executed, as it would in Jupyter.
const original = { ...console };
const toStdout = (...args) => emitStream('stdout', format(args) + '\n');
const toStderr = (...args) => emitStream('stderr', format(args) + '\n');
console.log = toStdout;
console.info = toStdout;
console.debug = toStdout;
console.warn = toStderr;
console.error = toStderr;
console.table = (data, columns) => {
  // Node's console.table writes through console.log of a private console; reproduce it into the cell.
  const { Console } = require('node:console');
  const { Writable } = require('node:stream');
  let text = '';
  const sink = new Writable({ write(chunk, _enc, cb) { text += chunk; cb(); } });
  new Console({ stdout: sink, colorMode: false }).table(data, columns);
  emitStream('stdout', text);
};
// tslab.display.* (HTML, SVG, Markdown, ...) arrives here, as it would at the kernel.
jupyter.lastWriteDisplayData = (message, update) => {
  if (!current) return;
  const id = message.transient && message.transient.display_id;
  // An updating display (a progress bar) replaces its earlier output instead of piling up.
  const earlier = update && id ? current.outputs.findIndex((o) => o.displayId === id) : -1;
  const output = { type: 'display', data: message.data, ...(id ? { displayId: id } : {}) };
  if (earlier >= 0) current.outputs[earlier] = output;
  else current.outputs.push(output);
};
let unhandled = null;
process.on('unhandledRejection', (reason) => {
  unhandled = reason;
  toStderr('UnhandledPromiseRejection:', reason);
});
process.on('uncaughtException', (err) => {
  unhandled = err;
  toStderr('UncaughtException:', err);
});

const converter = createConverter({ isJS: false, isBrowser: false });
const convs = { node: converter, browser: converter, close() { converter.close(); } };
const executor = createExecutor(root, convs, { log: toStdout, error: toStderr });

let failure = null;
for (let index = 0; index < cells.length; index++) {
  current = { index, ok: false, ms: 0, outputs: [] };
  results.push(current);
  const started = performance.now();
  let ok;
  try {
    ok = await executor.execute(cells[index].source);
  } catch (err) {
    toStderr(err);
    ok = false;
  }
  // Let timers and promises that the cell started settle, as a kernel would between cells.
  await new Promise((r) => setTimeout(r, 0));
  current.ms = Math.round(performance.now() - started);
  current.ok = ok && !unhandled;
  if (!current.ok) {
    const text = current.outputs.filter((o) => o.name === 'stderr').map((o) => o.text).join('');
    failure = { cell: index, message: text.trim() || 'the cell failed without a message', source: cells[index].source };
    break;
  }
}
current = null;
convs.close();
Object.assign(console, original);

const report = { chapter: chapterArg, runner: 'tslab', ok: failure === null, cells: results, failure };
const json = JSON.stringify(report);
if (outArg) writeFileSync(outArg, json);
else process.stdout.write(json);
process.exit(0);
