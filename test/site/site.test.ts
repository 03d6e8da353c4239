// The built site in a real browser (Debian's Chromium through playwright-core): every page loads without
// console errors or failed requests, nothing leaves localhost, each figure a chapter produced is on its
// page, figures read in light and dark themes, and every code block has a copy button. Screenshots of
// every page are kept in test-results/screenshots. The interactive figures (book/interactive) are used as a
// reader would: each slider is moved and its figure must change; the in-page NUTS fit is run to the end.
//
// For working on the widgets alone, SITE_DIST=<folder> serves an already built site instead of building
// this one (run with `-t widgets`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Server } from 'node:http';
import { serve } from './serve';
import { bookDir, chapterOutputs, environmentDigest, root } from '../../scripts/outputs.mjs';
import { listChapters } from '../../scripts/chapter.mjs';

const dist = process.env.SITE_DIST ?? join(root, '.vitepress', 'dist');
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
  const build = process.env.SITE_DIST ? { status: 0, stdout: '', stderr: '' } : spawnSync(process.execPath, [join(root, 'node_modules', 'vitepress', 'bin', 'vitepress.js'), 'build'], {
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
    // The search box and its index load lazily (the index holds every chapter's text): wait for the input,
    // then for results, rather than for a fixed time that a loaded machine may not meet.
    const input = page.locator('.VPLocalSearchBox input');
    await input.waitFor({ state: 'visible', timeout: 20_000 });
    await input.fill('adstock');
    await page.locator('.VPLocalSearchBox .result').first().waitFor({ state: 'visible', timeout: 20_000 }).catch(() => undefined);
    const hits = await page.locator('.VPLocalSearchBox .result').count();
    await page.close();
    expect(existsSync(dist)).toBe(true);
    expect(hits).toBeGreaterThan(0);
  });
});

/** The figures inside a widget: their markup, and the revision counter `draw` bumps on each redraw. */
async function figureState(page: Page, testid: string): Promise<{ html: string; revision: string }> {
  const el = page.locator(`[data-testid="${testid}"]`);
  return { html: await el.innerHTML(), revision: (await el.getAttribute('data-revision')) ?? '0' };
}

/**
 * Moves a control (a range slider, a select, a checkbox) and checks that each listed figure was redrawn
 * with different content. Returns the problems found.
 */
async function moveAndCheck(
  page: Page,
  control: string,
  action: (el: ReturnType<Page['locator']>) => Promise<void>,
  figures: string[],
): Promise<string[]> {
  const before = await Promise.all(figures.map((f) => figureState(page, f)));
  const el = page.locator(`[data-testid="${control}"]`);
  await action(el);
  const problems: string[] = [];
  for (const [k, f] of figures.entries()) {
    try {
      await page.waitForFunction(
        ([id, rev]) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-revision') !== rev,
        [f, before[k].revision] as const,
        { timeout: 10_000 },
      );
    } catch {
      problems.push(`${control}: figure ${f} was not redrawn`);
      continue;
    }
    const after = await figureState(page, f);
    if (after.html === before[k].html) problems.push(`${control}: figure ${f} redrawn but unchanged`);
    if (!/<svg/.test(after.html)) problems.push(`${control}: figure ${f} has no SVG`);
  }
  return problems;
}

const slide = (value: string) => (el: ReturnType<Page['locator']>) => el.fill(value);
const choose = (value: string) => (el: ReturnType<Page['locator']>) => el.selectOption(value).then(() => undefined);
const toggle = (el: ReturnType<Page['locator']>) => el.click();

describe('the interactive figures (widgets)', () => {
  const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `widget-${name}.png`), fullPage: true });

  it('adstock and saturation: every control redraws its figure', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const { errors, external } = await visit(page, '/interactive/adstock-and-saturation');
    await page.waitForSelector('[data-testid="weights-figure"] svg');
    const carry = ['weights-figure', 'burst-figure'];
    const problems = [
      ...(await moveAndCheck(page, 'alpha', slide('0.8'), carry)),
      ...(await moveAndCheck(page, 'lmax', slide('6'), carry)),
      ...(await moveAndCheck(page, 'normalize', toggle, carry)),
      ...(await moveAndCheck(page, 'adstock-kind', choose('delayed'), carry)),
      ...(await moveAndCheck(page, 'theta', slide('3'), carry)),
      ...(await moveAndCheck(page, 'half-saturation', slide('1.2'), ['saturation-figure'])),
      ...(await moveAndCheck(page, 'slope', slide('3'), ['saturation-figure'])),
      ...(await moveAndCheck(page, 'saturation-kind', choose('logistic'), ['saturation-figure'])),
      ...(await moveAndCheck(page, 'lambda', slide('6'), ['saturation-figure'])),
    ];
    const readout = await page.locator('[data-testid="adstock-readout"]').innerText();
    await shot(page, 'adstock-and-saturation');
    await page.close();
    expect([...errors, ...external]).toEqual([]);
    expect(problems).toEqual([]);
    // Delayed weights with α = 0.8, θ = 3 over 6 lags, normalized: the readout reports their sum as 1.
    expect(readout).toMatch(/Σ w = 1,/);
  });

  it('response curves: the spend slider moves the point, the channel changes the curve, leaving the data is flagged', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const { errors, external } = await visit(page, '/interactive/response-curves');
    await page.waitForSelector('[data-testid="response-figure"] svg');
    const figures = ['response-figure', 'marginal-figure'];
    // x1's weekly spend ranges over about [0.01, 1] in the data: 0.6 lies inside.
    const problems = await moveAndCheck(page, 'spend', slide('0.6'), figures);
    const inside = await page.locator('[data-testid="response-readout"]').innerText();
    problems.push(...(await moveAndCheck(page, 'channel', choose('x2'), figures)));
    problems.push(...(await moveAndCheck(page, 'spend', slide('2'), figures)));
    const outside = await page.locator('[data-testid="response-readout"]').innerText();
    await shot(page, 'response-curves');
    await page.close();
    expect([...errors, ...external]).toEqual([]);
    expect(problems).toEqual([]);
    expect(inside).not.toMatch(/outside the observed range/);
    expect(outside).toMatch(/outside the observed range/);
  });

  it('budget allocator: budget and bounds move the allocation; interior channels share one marginal return', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const { errors, external } = await visit(page, '/interactive/budget-allocator');
    await page.waitForSelector('[data-testid="allocation-figure"] svg');
    const figures = ['allocation-figure', 'allocation-marginal-figure'];
    const problems = [
      ...(await moveAndCheck(page, 'budget', slide('1.2'), figures)),
      ...(await moveAndCheck(page, 'lo-x2', slide('0.3'), figures)),
      ...(await moveAndCheck(page, 'hi-x1', slide('0.7'), figures)),
    ];
    const rows = await page.locator('[data-testid="allocation-table"] tbody tr').allInnerTexts();
    const cells = rows.map((r) => r.split('\t').map((c) => c.trim()));
    const interior = cells.filter((c) => c[4] === 'interior').map((c) => Number(c[3].replace(/,/g, '')));
    // An infeasible budget (bounds allow at most 0.7 + 1.5) is reported, not silently clipped.
    await page.locator('[data-testid="budget"]').fill('2.5');
    await page.waitForSelector('[data-testid="allocation-error"]');
    const message = await page.locator('[data-testid="allocation-error"]').innerText();
    await shot(page, 'budget-allocator');
    await page.close();
    expect([...errors, ...external]).toEqual([]);
    expect(problems).toEqual([]);
    expect(cells).toHaveLength(2);
    // Printed with 3 significant digits: equal marginal returns agree to that rounding.
    for (const m of interior) expect(Math.abs(m - interior[0])).toBeLessThanOrEqual(0.005 * Math.abs(interior[0]));
    expect(message).toMatch(/the budget cannot be spent/);
  });

  it('widgets read in light and dark themes', async () => {
    for (const appearance of ['light', 'dark']) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.addInitScript((a) => localStorage.setItem('vitepress-theme-appearance', a), appearance);
      const { errors } = await visit(page, '/interactive/response-curves');
      await page.waitForSelector('[data-testid="response-figure"] svg');
      const colours = await page.evaluate(() => {
        const widget = document.querySelector('.mmm-widget')!;
        const text = widget.querySelector('[data-testid="response-figure"] svg text')!;
        const label = widget.querySelector('.widget-readout')!;
        return {
          axis: getComputedStyle(text).fill,
          label: getComputedStyle(label).color,
          bg: getComputedStyle(widget).backgroundColor,
          dark: document.documentElement.classList.contains('dark'),
        };
      });
      await page.locator('.mmm-widget').first().screenshot({ path: join(shots, `widget-theme-${appearance}.png`) });
      await page.close();
      expect(errors).toEqual([]);
      expect(colours.dark).toBe(appearance === 'dark');
      // WCAG AA asks 4.5:1 for text.
      expect(contrast(colours.axis, colours.bg), `${appearance}: axis text ${colours.axis} on ${colours.bg}`).toBeGreaterThan(4.5);
      expect(contrast(colours.label, colours.bg), `${appearance}: readout ${colours.label} on ${colours.bg}`).toBeGreaterThan(4.5);
    }
  });

  it('fits the example MMM with NUTS in the page: the progress bar advances to 100%, then the summary and the fit appear', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const { errors, external } = await visit(page, '/interactive/fit-in-the-browser');
    // A light setting keeps the test short: 2 chains of 150 warm-up and 150 draws.
    await page.locator('[data-testid="chains"]').selectOption('2');
    await page.locator('[data-testid="draws"]').selectOption('150');
    await page.locator('[data-testid="run-fit"]').click();
    const seen = new Set<number>();
    const deadline = Date.now() + 420_000;
    let max = 1;
    for (;;) {
      const done = await page.locator('[data-testid="fit-summary"]').count();
      const bar = page.locator('[data-testid="fit-progress"]');
      if ((await bar.count()) > 0) {
        seen.add(Number(await bar.getAttribute('value')));
        max = Number(await bar.getAttribute('max'));
      }
      if (done > 0 || (await page.locator('[data-testid="fit-error"]').count()) > 0 || Date.now() > deadline) break;
      await page.waitForTimeout(250);
    }
    const fitError = (await page.locator('[data-testid="fit-error"]').count()) > 0 ? await page.locator('[data-testid="fit-error"]').innerText() : '';
    expect(fitError).toBe('');
    const percent = await page.locator('[data-testid="fit-percent"]').innerText();
    const rows = await page.locator('[data-testid="fit-summary"] tbody tr').allInnerTexts();
    await page.waitForSelector('[data-testid="fit-figure"] svg');
    await shot(page, 'fit-in-the-browser');
    await page.close();
    expect([...errors, ...external]).toEqual([]);
    expect(percent).toBe('100%');
    expect(max).toBe(2 * 300);
    // The page stayed responsive while sampling: the bar was polled at intermediate values.
    expect([...seen].some((v) => v > 0 && v < max)).toBe(true);
    expect(rows.map((r) => r.split('\t')[0].trim())).toEqual([
      'beta_x1', 'alpha_x1', 'lambda_x1', 'beta_x2', 'alpha_x2', 'lambda_x2', 'sigma', 'roas_x1', 'roas_x2',
    ]);
  });
});
