import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActionRun } from './runner';

/** The committed reports the e2e tests produced; test/report-corpus.test.ts renders each one. */
export const REPORT_CORPUS_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../test/__reports__',
);

/** Set to 1 to rewrite the corpus from the current e2e runs instead of comparing with it. */
export const UPDATE_REPORTS_ENV = 'RECSYS_UPDATE_REPORTS';

const FIXED_TIME = '2026-01-01T00:00:00.000Z';
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** Wall-clock measurements, as numbers under these keys and as "in 18 ms" in text (rollback's title). */
const ELAPSED_TEXT = /\bin \d+ ms\b/g;
const TIMING_KEYS = new Set(['durationMs']);
const LOCAL_URL = /^(https?:\/\/)(127\.0\.0\.1|localhost):\d+/;

/**
 * Replaces what changes from run to run (times, temporary directories, emulator ports) with fixed text free of Markdown and Slack markup, so the
 * same e2e case always yields the same corpus file.
 */
export function normaliseReport(
  report: unknown,
  run: Pick<ActionRun, 'workspace' | 'runnerTemp'>,
  places: Readonly<Record<string, string>> = {},
): unknown {
  const folders: [string, string][] = [
    [run.workspace, '/workspace'],
    [run.runnerTemp, '/runner-temp'],
    ...Object.entries(places),
  ];
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (ISO_TIME.test(value)) return FIXED_TIME;
      return folders
        .reduce((text, [folder, shownAs]) => text.split(folder).join(shownAs), value)
        .replace(LOCAL_URL, '$1localhost')
        .replace(ELAPSED_TEXT, 'in N ms');
    }
    if (Array.isArray(value)) return value.map(visit);
    if (value && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => [key, TIMING_KEYS.has(key) ? 0 : visit(inner)]),
      );
    return value;
  };
  return visit(report);
}

/** The report file a run wrote, or, for notify-slack, which writes no file, its `report` output. */
function runReport(run: ActionRun, name: string): unknown {
  const reportPath = run.outputs['report-path'];
  if (reportPath) return JSON.parse(readFileSync(reportPath, 'utf8'));
  const inline = run.outputs.report;
  if (inline) return JSON.parse(inline);
  throw new Error(`the run has no report-path or report output, so there is no report to match ${name}`);
}

/**
 * Checks the report file an e2e run wrote against its corpus file `<name>.json`, or writes that file when
 * RECSYS_UPDATE_REPORTS=1. Throws when they differ or the file is missing, so CI fails on a stale corpus.
 */
export function matchReportCorpus(
  name: string,
  run: ActionRun,
  /** Further run-specific folders, such as a service's temporary prefix, and the fixed text shown instead. */
  places: Readonly<Record<string, string>> = {},
): void {
  const report = runReport(run, name);
  const file = join(REPORT_CORPUS_DIR, `${name}.json`);
  const text = `${JSON.stringify(normaliseReport(report, run, places), null, 2)}\n`;
  if (process.env[UPDATE_REPORTS_ENV] === '1') {
    mkdirSync(REPORT_CORPUS_DIR, { recursive: true });
    writeFileSync(file, text);
    return;
  }
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text)
    throw new Error(
      `${file} is stale: rerun this e2e test with ${UPDATE_REPORTS_ENV}=1 and commit the result.`,
    );
}
