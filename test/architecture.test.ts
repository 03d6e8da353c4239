// The rules of DESIGN.md that a machine can check: the layering of src/, an isomorphic core, no
// unseeded randomness, and imports that tslab (the notebooks' kernel) can resolve.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const src = resolve(__dirname, '..', 'src');
const LAYERS = ['random', 'linalg', 'stats', 'optimize', 'sample', 'mmm', 'causal', 'plot', 'data'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}
const files = sourceFiles(src);
const importsOf = (text: string) =>
  [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
const layerOf = (path: string) => relative(src, path).split('/')[0];
// A module is Node-only when its file is named node.ts or lives in a folder named node.
const isNodeOnly = (path: string) => /(^|\/)node(\.ts|\/)/.test(relative(src, path));

describe('src/', () => {
  it('reads the library: every check below runs over these files and their imports', () => {
    // The checks collect offenders and expect none, which an empty file list would pass vacuously.
    expect(files.length).toBeGreaterThan(100);
    expect(files.map((f) => relative(src, f))).toEqual(expect.arrayContaining(['sample/nuts.ts', 'mmm/bayes/model.ts', 'linalg/qr.ts']));
    const relativeImports = files.reduce((n, f) => n + importsOf(readFileSync(f, 'utf8')).filter((spec) => spec.startsWith('.')).length, 0);
    expect(relativeImports).toBeGreaterThan(300);
  });

  it('never calls Math.random', () => {
    const offenders = files.filter((f) => /Math\.random/.test(readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '')));
    expect(offenders.map((f) => relative(src, f))).toEqual([]);
  });

  it('imports files, not folders, so that tslab can resolve every import', () => {
    const bad: string[] = [];
    for (const f of files) {
      for (const spec of importsOf(readFileSync(f, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(f), spec);
        if (!existsSync(`${target}.ts`)) bad.push(`${relative(src, f)} imports '${spec}'`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('keeps the layering: a layer imports only the layers below it', () => {
    const bad: string[] = [];
    for (const f of files) {
      const from = LAYERS.indexOf(layerOf(f));
      if (from < 0) continue;
      for (const spec of importsOf(readFileSync(f, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const to = LAYERS.indexOf(layerOf(resolve(dirname(f), spec)));
        // plot may draw results of any layer; data may validate for any layer (it is last in DESIGN's table
        // but is a leaf used by mmm): both exceptions are listed explicitly.
        if (to > from && !(layerOf(f) === 'mmm' && LAYERS[to] === 'data')) bad.push(`${relative(src, f)} imports '${spec}'`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('keeps Node-only APIs in node modules, so the core runs in the browser', () => {
    const nodeOnly = /^(node:|fs$|path$|worker_threads$|child_process$|os$|danfojs-node$|jsdom$)/;
    const bad: string[] = [];
    for (const f of files) {
      if (isNodeOnly(f)) continue;
      for (const spec of importsOf(readFileSync(f, 'utf8'))) {
        if (nodeOnly.test(spec)) bad.push(`${relative(src, f)} imports '${spec}'`);
        if (spec.startsWith('.') && isNodeOnly(resolve(dirname(f), spec))) bad.push(`${relative(src, f)} imports Node-only '${spec}'`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('uses only what tslab compiles against: no DOM types and nothing past ES2020 in the core', () => {
    const bad: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      if (/\b(HTMLElement|SVGElement|Document|Window)\b(?!['"])/.test(text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''))) {
        bad.push(`${relative(src, f)} names a DOM type`);
      }
      if (/\.at\(|\.replaceAll\(|Object\.hasOwn\(|\.findLast\(|structuredClone\(/.test(text)) bad.push(`${relative(src, f)} uses an API past ES2020`);
      if (/import\.meta/.test(text)) bad.push(`${relative(src, f)} uses import.meta, which tslab's CommonJS cannot`);
    }
    expect(bad).toEqual([]);
  });
});
