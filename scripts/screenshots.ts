// `pnpm screenshots`: one job summary per action, as GitHub shows it, saved as docs/img/<action>-summary.png for
// the READMEs. Each summary is a report (of the corpus the e2e tests write, test/__reports__, or of the built
// dists run on the demo data) rendered by the actions' own renderer (renderReportMarkdown), turned into HTML
// with GitHub-flavoured Markdown and styled after github.com's summary card; its mermaid blocks are drawn in
// the page by the real mermaid package, and the page is photographed by Chromium through playwright-core.
// Needs Chromium and pngquant (Debian: apt-get install chromium pngquant; RECSYS_CHROMIUM names another
// Chromium). Not run in CI: the pictures are committed, so run this after changing a renderer, build the dists
// first, and look at the pictures before committing them.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { Marked } from 'marked';
import { chromium } from 'playwright-core';
import { parseReport, renderReportMarkdown, type Report } from '@recsys-actions/core';
import { REPORT_CORPUS_DIR, runAction } from '@recsys-actions/testkit';
import { ROOT } from './actions';
import { DEMO_RELEASE, DRIFT_CHECK_STEP, shiftStep, validateModelStep, type DemoStep } from './demo-steps';

/**
 * The report shown for each action, the run a new user most wants to see: a file of the report corpus, or the
 * last of a few steps of the built dists run on the bundled demo data (as `pnpm demo` runs them). The demo
 * stands in where the corpus' run is a test's corner case: hostile column names, a three-row evaluation, or a
 * rollback whose duration the corpus blanks out.
 */
const SHOWN: Record<string, { corpus: string } | { demo: DemoStep[] }> = {
  'validate-model': { demo: [validateModelStep('challenger-2026.11')] },
  'shift-traffic': { corpus: 'shift-traffic-file-router-first-shift.json' },
  'canary-gate': { corpus: 'canary-gate-recordings-rollback.json' },
  rollback: {
    demo: [
      shiftStep('champion-2026.09', 'champion-2026.10', 100),
      shiftStep('champion-2026.10', 'challenger-2026.11', 10),
      {
        action: 'rollback',
        inputs: { ...DEMO_RELEASE, reason: 'canary-gate: the canary doubled the error rate' },
      },
    ],
  },
  'drift-check': { demo: [DRIFT_CHECK_STEP] },
  'notify-slack': { corpus: 'notify-slack-dry-run.json' },
  'deployment-report': { corpus: 'deployment-report-two-environments.json' },
};

async function shownReport(shown: (typeof SHOWN)[string]): Promise<Report> {
  if ('corpus' in shown)
    return parseReport(JSON.parse(readFileSync(join(REPORT_CORPUS_DIR, shown.corpus), 'utf8')));
  const workspace = mkdtempSync(join(tmpdir(), 'recsys-screenshots-demo-'));
  cpSync(join(ROOT, 'demo'), workspace, { recursive: true });
  let reportPath: string | undefined;
  for (const step of shown.demo) {
    const run = await runAction({ ...step, workspace });
    reportPath = run.outputs['report-path'];
    if (!reportPath)
      throw new Error(`${step.action} on the demo data wrote no report: ${run.errors.join('; ')}`);
  }
  return parseReport(JSON.parse(readFileSync(reportPath ?? '', 'utf8')));
}

const OUT_DIR = join(ROOT, 'docs', 'img');
const WIDTH = 1000;
/** Taller summaries are cut near here: the top of a summary is what a README needs to show. */
const MAX_HEIGHT = 2000;
const CHROMIUM = process.env.RECSYS_CHROMIUM ?? '/usr/bin/chromium';
const PNGQUANT = '/usr/bin/pngquant';
// A quiet, reproducible browser: no network side-channels, no GPU, a profile of its own.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"]/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char,
  );

/** GitHub-flavoured Markdown to HTML, mermaid blocks left for mermaid to draw in the page. */
function summaryHtml(markdown: string): string {
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      code({ text, lang }) {
        if (lang === 'mermaid') return `<pre class="mermaid">${escapeHtml(text)}</pre>`;
        return `<pre><code>${escapeHtml(text)}</code></pre>`;
      },
    },
  });
  return marked.parse(markdown, { async: false });
}

function page(action: string, body: string, mermaidScript: string): string {
  const css = readFileSync(join(ROOT, 'scripts', 'screenshots.css'), 'utf8');
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body>
<div id="card"><div class="card-head">${escapeHtml(action)} summary</div><div class="markdown-body">${body}</div></div>
<script src="${mermaidScript}"></script>
<script>
mermaid.initialize({ startOnLoad: false, theme: 'default', securityLevel: 'strict' });
mermaid.run({ querySelector: 'pre.mermaid' }).then(() => (document.body.dataset.drawn = 'yes'),
  (error) => (document.body.dataset.drawn = 'error: ' + error));
</script></body></html>`;
}

/** The little of the page's DOM the functions run in the page use (this script compiles without the DOM lib). */
interface PageElement {
  readonly tagName: string;
  getBoundingClientRect(): { readonly bottom: number };
}
declare const document: {
  readonly body: { readonly dataset: Record<string, string | undefined> };
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
};

/**
 * Runs in the page: the height to keep, the whole card when it fits in `maxHeight`, else the summary up to the
 * last block (paragraph, table, chart) that ends above it, so that no table or chart is cut in half, and
 * without the heading and intro of a section whose body was cut.
 */
function cutBelow(maxHeight: number): number {
  const card = document.getElementById('card')?.getBoundingClientRect();
  if (card && card.bottom + 16 <= maxHeight) return Math.ceil(card.bottom + 16);
  const blocks = [...document.querySelectorAll('.markdown-body > *')];
  let last = blocks.filter((block) => block.getBoundingClientRect().bottom + 16 <= maxHeight).length - 1;
  // No helper functions in here: tsx would wrap them in a __name() call that the page does not have.
  const tags = blocks.map((block) => block.tagName);
  while (
    last > 0 &&
    (/^H\d$/.test(tags[last] ?? '') || (tags[last] === 'P' && /^H\d$/.test(tags[last - 1] ?? '')))
  )
    last -= 1;
  return Math.ceil((blocks[last]?.getBoundingClientRect().bottom ?? maxHeight - 16) + 16);
}

/** Chromium's PNGs are true-colour; a palette of text and flat chart colours makes them a third the size. */
function shrinkPng(path: string): void {
  execFileSync(PNGQUANT, ['--quality=70-95', '--speed=1', '--strip', '--force', '--output', path, path]);
}

async function main(): Promise<void> {
  const mermaidScript = pathToFileURL(
    createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'),
  ).href;
  const work = mkdtempSync(join(tmpdir(), 'recsys-screenshots-'));
  mkdirSync(OUT_DIR, { recursive: true });
  const context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    viewport: { width: WIDTH, height: 800 },
    deviceScaleFactor: 1,
  });
  try {
    for (const [action, shown] of Object.entries(SHOWN)) {
      const report = await shownReport(shown);
      const htmlFile = join(work, `${action}.html`);
      writeFileSync(htmlFile, page(action, summaryHtml(renderReportMarkdown(report)), mermaidScript));
      const tab = await context.newPage();
      await tab.goto(pathToFileURL(htmlFile).href);
      await tab.waitForFunction(() => document.body.dataset.drawn !== undefined);
      const drawn = await tab.evaluate(() => document.body.dataset.drawn);
      if (drawn !== 'yes') throw new Error(`${action}: mermaid could not draw a chart (${drawn})`);
      const target = join(OUT_DIR, `${action}-summary.png`);
      const height = await tab.evaluate(cutBelow, MAX_HEIGHT);
      await tab.screenshot({ path: target, clip: { x: 0, y: 0, width: WIDTH, height }, fullPage: true });
      shrinkPng(target);
      console.log(
        `${relative(ROOT, target)}  ${(statSync(target).size / 1024).toFixed(0)} KiB  (${'corpus' in shown ? shown.corpus : 'demo data'})`,
      );
      await tab.close();
    }
  } finally {
    await context.close();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
