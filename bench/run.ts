// `npm run bench`: every suite in bench/suites, one after another, each printing ratios against a peer
// timed on the same machine in the same run (never an absolute time in a test).
//   npm run bench            all suites
//   npm run bench -- ols     suites whose file name contains "ols"
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'suites');
const filter = process.argv[2];
const suites = readdirSync(dir).filter((f) => f.endsWith('.ts') && (!filter || f.includes(filter))).sort();
for (const file of suites) {
  console.log(`\n## ${file.replace(/\.ts$/, '')}`);
  const suite = await import(pathToFileURL(join(dir, file)).href);
  await suite.default();
}
