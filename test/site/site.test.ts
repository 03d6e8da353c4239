// The built site in a real browser (Debian's Chromium through playwright-core): every page loads without
// console errors or failed requests, nothing leaves localhost, each figure a chapter produced is on its
// page, figures read in light and dark themes, and every code block has a copy button. Screenshots of
// every page are kept in test-results/screenshots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Server } from 'node:http';
import { serve } from './serve';
import { bookDir, chapterOutputs, environmentDigest, root } from '../../scripts/outputs.mjs';
import { listChapters } from '../../scripts/chapter.mjs';

const dist = join(root, '.vitepress', 'dist');
const shots = join(root, 'test-results', 'screenshots');
let server: Server;
let origin = '';
let browser: Browser;

function htmlPages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'assets' ? [] : htmlPages(path);
    return name.endsWith('.html') && name !== '404.html' ? [path] : [];
  });
}

/** Figures (SVG outputs) each chapter's cells produced, keyed by the page's URL path. */
function expectedFigures(): Map<string, number> {
  const environment = environmentDigest();
  const figures = new Map<string, number>();
  for (const chapter of listChapters(bookDir)) {
    const report = chapterOutputs(chapter, { environment });
    let count = 0;
    for (const cell of report.cells) {
      for (const o of cell.outputs) {
        const html = o.data?.['text/html'] ?? o.data?.['image/svg+xml'] ?? '';
        count += (html.match(/<svg[^>]*class="plot-/g) ?? []).length;
      }
    }
    figures.set('/' + relative(bookDir, chapter).replace(/\.md$/, ''), count);
  }
  return figures;
}

/** Relative luminance contrast (WCAG) between two CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

interface Visit {
  errors: string[];
  external: string[];
}

async function visit(page: Page, url: string): Promise<Visit> {
  const errors: string[] = [];
  const external: string[] = [];
  page.removeAllListeners();
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => !external.includes(r.url()) && errors.push(`failed request: ${r.url()}`));
  page.on('response', (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()}: ${r.url()}`));
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
    external.push(u);
    return route.abort();
  });
  await page.goto(origin + url, { waitUntil: 'networkidle' });
  return { errors, external };
}

beforeAll(async () => {
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'vitepress', 'bin', 'vitepress.js'), 'build'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (build.status !== 0) throw new Error(`vitepress build failed:\n${build.stdout}\n${build.stderr}`);
  ({ server, origin } = await serve(dist));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'],
  });
  mkdirSync(shots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe('the site', () => {
  it('builds and has a page for every chapter', () => {
    const pages = new Set(htmlPages(dist).map((p) => '/' + relative(dist, p).replace(/\.html$/, '')));
    for (const chapter of listChapters(bookDir)) {
      expect(pages.has('/' + relative(bookDir, chapter).replace(/\.md$/, ''))).toBe(true);
    }
  });

  it('every page loads cleanly, offline, with its figures and copy buttons', async () => {
    const figures = expectedFigures();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    for (const file of htmlPages(dist)) {
      const url = '/' + relative(dist, file).replace(/(index)?\.html$/, '');
      const { errors, external } = await visit(page, url);
      problems.push(...errors.map((e) => `${url}: ${e}`), ...external.map((e) => `${url}: request left localhost: ${e}`));
      const expected = figures.get(url.replace(/\/$/, '')) ?? 0;
      const rendered = await page.locator('.cell-output svg[class^="plot-"]').count();
      if (rendered !== expected) problems.push(`${url}: ${rendered} figures on the page, ${expected} produced by its cells`);
      const blocks = await page.locator('div[class*="language-"]').count();
      const copies = await page.locator('div[class*="language-"] button.copy').count();
      if (copies !== blocks) problems.push(`${url}: ${blocks} code blocks but ${copies} copy buttons`);
      await page.screenshot({ path: join(shots, `${url.replace(/^\/|\/$/g, '').replace(/\//g, '__') || 'home'}.png`), fullPage: true });
    }
    await page.close();
    expect(problems).toEqual([]);
  });

  it('figures read in light and dark themes', async () => {
    const figures = expectedFigures();
    const url = [...figures].find(([, n]) => n > 0)?.[0];
    expect(url, 'no chapter has a figure yet').toBeDefined();
    for (const appearance of ['light', 'dark']) {
      const page = await browser.newPage();
      await page.addInitScript((a) => localStorage.setItem('vitepress-theme-appearance', a), appearance);
      await visit(page, url!);
      const colours = await page.evaluate(() => {
        const svg = document.querySelector('.cell-output svg[class^="plot-"]')!;
        const text = svg.querySelector('text')!;
        let bgEl: Element | null = svg;
        let bg = 'rgba(0, 0, 0, 0)';
        while (bgEl && /rgba\(0, 0, 0, 0\)|transparent/.test(bg)) {
          bg = getComputedStyle(bgEl).backgroundColor;
          bgEl = bgEl.parentElement;
        }
        return { text: getComputedStyle(text).fill, bg, dark: document.documentElement.classList.contains('dark') };
      });
      expect(colours.dark).toBe(appearance === 'dark');
      // WCAG AA asks 4.5:1 for text.
      expect(contrast(colours.text, colours.bg), `${appearance}: axis text ${colours.text} on ${colours.bg}`).toBeGreaterThan(4.5);
      await page.screenshot({ path: join(shots, `theme-${appearance}.png`), fullPage: false });
      await page.close();
    }
  });

  it('has a working local search', async () => {
    const page = await browser.newPage();
    await visit(page, '/');
    await page.locator('.VPNavBarSearch button').first().click();
    await page.keyboard.type('adstock');
    await page.waitForTimeout(500);
    const hits = await page.locator('.VPLocalSearchBox .result').count();
    await page.close();
    expect(existsSync(dist)).toBe(true);
    expect(hits).toBeGreaterThan(0);
  });
});
