// Every report the e2e tests produced (test/__reports__, kept fresh by matchReportCorpus) must still parse as a
// suite report and render through every renderer, so a renderer cannot drift from what the actions really write.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACTION_VERDICTS,
  parseReport,
  escapeMarkdown,
  renderReportMarkdown,
  type Report,
  type Verdict,
} from '@recsys-actions/core';
import { renderReportMessage, type SlackMessage } from '@recsys-actions/slack';
import { REPORT_CORPUS_DIR } from '@recsys-actions/testkit';
import { reportToTerminal } from '../scripts/terminal-markdown';

const corpus = readdirSync(REPORT_CORPUS_DIR)
  .filter((file) => file.endsWith('.json'))
  .map(
    (file) => [file, parseReport(JSON.parse(readFileSync(join(REPORT_CORPUS_DIR, file), 'utf8')))] as const,
  );

function slackText(message: SlackMessage): string {
  return JSON.stringify(message.blocks);
}

function corpusReport(file: string): Report {
  const found = corpus.find(([name]) => name === file);
  if (!found) throw new Error(`${file} is missing from ${REPORT_CORPUS_DIR}`);
  return found[1];
}

describe('the report corpus', () => {
  it('holds at least one report', () => {
    expect(corpus.length).toBeGreaterThan(0);
  });

  it.each(corpus)("%s has one of its action's verdicts", (_file, report) => {
    const allowed: readonly Verdict[] = ACTION_VERDICTS[report.action];
    expect(allowed).toContain(report.verdict);
  });

  it.each(corpus)('%s renders as job summary, Slack message and terminal text', (_file, report) => {
    const markdown = renderReportMarkdown(report);
    // The summary shows the title escaped (an "@" in `ndcg@10` gets a zero-width space so it never mentions anyone).
    expect(markdown).toContain(escapeMarkdown(report.title));
    expect(reportToTerminal(report)).toContain(report.action);
    const message = renderReportMessage(report);
    expect(message.text).toContain(report.title);
    expect(message.blocks.length).toBeGreaterThan(1);
  });

  it("shows a real shift-traffic run's canary share before and after in Slack", () => {
    const report = corpusReport('shift-traffic-file-router-first-shift.json');
    expect(slackText(renderReportMessage(report))).toContain('*Traffic:* 0% → 10%');
  });

  it("lists a real drift-check's drifted columns in Slack, hostile names escaped", () => {
    const text = slackText(renderReportMessage(corpusReport('drift-check-drift-issue-drift.json')));
    expect(text).toContain('*Drifted columns (3):*');
    expect(text).toContain('`price`');
    expect(text).not.toContain('<img');
  });

  it("shows a real rollback's versions and reason in Slack", () => {
    const text = slackText(renderReportMessage(corpusReport('rollback-file-router-during-canary.json')));
    expect(text).toContain('*Serving:* `v2` → `v1`');
    expect(text).toContain('*Reason:* p95 latency doubled');
  });

  describe("a real canary-gate's chart section", () => {
    const report = corpusReport('canary-gate-recordings-promote.json');

    it('is a mermaid xychart in the job summary', () => {
      const markdown = renderReportMarkdown(report);
      expect(markdown).toContain('#### error-rate: canary vs baseline\n\n```mermaid\n%%{init: ');
      expect(markdown).toContain('  line [0.9016, 1.073, 1.041, 1.209, ');
      expect(markdown).toContain('  x-axis "minutes since the canary started" [1, 2, 3, 4, ');
    });

    it('is one line in Slack, which cannot draw it', () => {
      expect(slackText(renderReportMessage(report))).toContain(
        ':bar_chart: *error-rate: canary vs baseline*: a chart of canary, baseline, drawn in the job summary',
      );
    });

    it('is one line per series in the terminal', () => {
      const lines = reportToTerminal(report).split('\n');
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^ {2}error-rate · canary: 9 points of rate \(%\), 0\.7576 to 1\.216, last 0\.7673$/,
        ),
      );
      expect(lines).toContain('  latency-p95 · baseline: 9 points of value, 0.0759 to 0.085, last 0.0825');
    });
  });

  describe("a real drift-check's table section", () => {
    const report = corpusReport('drift-check-drift-issue-drift.json');

    it('is a Markdown table in the job summary', () => {
      expect(renderReportMarkdown(report)).toContain(
        '| ⚠️ | `price` | numeric | ks | 60.94 | 0.65 | 5.143e-80 | 0.05 | **yes** |',
      );
    });

    it('is a short list of its first rows in Slack', () => {
      const text = slackText(renderReportMessage(report));
      expect(text).toContain(
        '*Columns by drift score*\\n• ⚠️ · `@octo-org/admins &lt;img src=x&gt; [x](https://evil)` · numeric',
      );
      expect(text).toContain('• ⚠️ · `price` · numeric · ks · 60.94 · 0.65 · 5.143e-80 · 0.05 · *Drifted*');
    });

    it('is an aligned text table in the terminal', () => {
      expect(reportToTerminal(report)).toMatch(
        /\n {2}⚠️ +price +numeric +ks +60\.94 +0\.65 +5\.143e-80 +0\.05 +yes\n/,
      );
    });
  });
});
