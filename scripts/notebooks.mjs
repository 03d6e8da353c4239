#!/usr/bin/env node
// Generates one notebook per chapter (notebooks/<chapter>.ipynb) from the chapter's Markdown: prose to
// Markdown cells, `ts` cells to code cells, without outputs. The notebooks are committed so they open
// without a build; `--check` fails (exit 1) when a committed notebook differs from what its chapter makes.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, readdirSync, unlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseChapter, listChapters, notebookName } from './chapter.mjs';
import { root, bookDir } from './outputs.mjs';

export const notebooksDir = join(root, 'notebooks');

/** VitePress containers (`::: tip Title` ... `:::`) become block quotes, which Jupyter renders. */
function toJupyterMarkdown(source) {
  const out = [];
  let depth = 0;
  for (const line of source.split('\n')) {
    const open = /^:::+\s*(\w+)\s*(.*)$/.exec(line);
    if (open) {
      depth++;
      const title = open[2].trim() || open[1][0].toUpperCase() + open[1].slice(1);
      out.push(`${'> '.repeat(depth)}**${title}**`, '>'.repeat(depth));
      continue;
    }
    if (/^:::+\s*$/.test(line) && depth > 0) {
      depth--;
      out.push('');
      continue;
    }
    if (line.trim() === '[[toc]]') continue;
    out.push(depth > 0 ? `${'> '.repeat(depth)}${line}`.trimEnd() : line);
  }
  return out.join('\n').trim();
}

/** nbformat stores sources as lists of lines, each but the last keeping its newline. */
function sourceLines(text) {
  const lines = text.split('\n');
  return lines.map((l, i) => (i < lines.length - 1 ? l + '\n' : l));
}

export function notebookFor(chapterPath) {
  const text = readFileSync(chapterPath, 'utf8');
  const { cells } = parseChapter(text);
  const rel = relative(root, chapterPath).split('\\').join('/');
  const id = (k) => createHash('sha256').update(`${rel}#${k}`).digest('hex').slice(0, 12);
  const header = {
    type: 'markdown',
    source: `<small>Generated from [\`${rel}\`](../${rel}) by \`npm run notebooks\`: edit the chapter, not this notebook. ` +
      'Run it with the kernel "TypeScript (MMM book)" (`npm run lab`).</small>',
  };
  const nbCells = [header, ...cells].map((cell, k) =>
    cell.type === 'code'
      ? { cell_type: 'code', execution_count: null, id: id(k), metadata: {}, outputs: [], source: sourceLines(cell.source) }
      : { cell_type: 'markdown', id: id(k), metadata: {}, source: sourceLines(k === 0 ? cell.source : toJupyterMarkdown(cell.source)) },
  );
  const notebook = {
    cells: nbCells,
    metadata: {
      kernelspec: { display_name: 'TypeScript (MMM book)', language: 'typescript', name: 'mmm-tslab' },
      language_info: { file_extension: '.ts', mimetype: 'text/typescript', name: 'typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return JSON.stringify(notebook, null, 1) + '\n';
}

/** Writes (or with `check`, compares) every chapter's notebook; returns the names that were stale. */
export function generateNotebooks({ check = false } = {}) {
  const stale = [];
  const expected = new Set();
  for (const chapter of listChapters(bookDir)) {
    const name = notebookName(chapter);
    expected.add(name);
    const path = join(notebooksDir, name);
    const content = notebookFor(chapter);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (current !== content) {
      stale.push(name);
      if (!check) writeFileSync(path, content);
    }
  }
  // A notebook whose chapter was renamed or removed is stale too.
  for (const name of readdirSync(notebooksDir)) {
    if (name.endsWith('.ipynb') && !expected.has(name)) {
      stale.push(name);
      if (!check) unlinkSync(join(notebooksDir, name));
    }
  }
  return stale;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const check = process.argv.includes('--check');
  const stale = generateNotebooks({ check });
  if (check && stale.length > 0) {
    console.error(`notebooks out of date with their chapters: ${stale.join(', ')}\nrun \`npm run notebooks\` and commit them.`);
    process.exit(1);
  }
  console.log(check ? 'notebooks are current' : stale.length ? `wrote ${stale.join(', ')}` : 'notebooks already current');
}
