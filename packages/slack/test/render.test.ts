import { parseReport, type ActionName, type Report } from '@recsys-actions/core';
import { renderReportMessage, renderStatusMessage, validatePayload, type SlackMessage } from '../src/index';
import { SAMPLE_REPORTS } from './sample-reports';

const HOSTILE = '<!channel> <!here> <@U0HOSTILE> <https://evil.example|click> & `code`';
const mentions = ['<!subteam^S0123ABCD>'];

function hostileReport(action: ActionName = 'drift-check', overrides: Partial<Report> = {}): Report {
  const sample = SAMPLE_REPORTS[action];
  return parseReport({
    ...sample,
    title: HOSTILE,
    environment: HOSTILE,
    model: { version: HOSTILE, baselineVersion: HOSTILE },
    checks: [{ name: HOSTILE, status: 'fail', value: 1, threshold: HOSTILE, message: HOSTILE }],
    notes: [HOSTILE],
    details: { ...sample.details, driftedColumns: [HOSTILE], from: HOSTILE, to: HOSTILE, reason: HOSTILE },
    ...overrides,
  });
}

/** Every raw `<…>` sequence in a message: these are what Slack turns into mentions and links. */
function controlSequences(message: SlackMessage): string[] {
  return JSON.stringify(message).match(/<[^<>]*>/g) ?? [];
}

describe('escaping data and people', () => {
  it.each(['drift-check', 'rollback', 'validate-model'] as const)(
    '%s: no mention or link from data reaches Slack raw',
    (action) => {
      const message = renderReportMessage(hostileReport(action), { mentions: [] });
      const raw = controlSequences(message).filter((sequence) => !sequence.startsWith('<!date^'));
      expect(raw.every((sequence) => sequence.startsWith('<https://github.com/acme/'))).toBe(true);
      expect(JSON.stringify(message)).toContain('&lt;!channel&gt;');
      expect(validatePayload(message)).toEqual([]);
    },
  );

  it('escapes status titles, text and fields', () => {
    const message = renderStatusMessage({
      status: 'info',
      title: HOSTILE,
      text: HOSTILE,
      fields: { [HOSTILE]: HOSTILE },
    });
    expect(controlSequences(message)).toEqual([]);
    expect(message.text).toContain('&lt;!here&gt;');
  });
});

describe('mention-on-failure', () => {
  it('leads the fallback text and the title of failure-toned messages only', () => {
    const failed = renderReportMessage(SAMPLE_REPORTS['validate-model'], { mentions });
    expect(failed.text.startsWith('<!subteam^S0123ABCD> ')).toBe(true);
    expect(JSON.stringify(failed.blocks)).toContain('<!subteam^S0123ABCD>');
    for (const report of [SAMPLE_REPORTS['drift-check'], SAMPLE_REPORTS['shift-traffic']]) {
      expect(JSON.stringify(renderReportMessage(report, { mentions }))).not.toContain('subteam');
    }
    expect(
      JSON.stringify(renderStatusMessage({ status: 'warning', title: 't' }, { mentions })),
    ).not.toContain('subteam');
    expect(renderStatusMessage({ status: 'failure', title: 't' }, { mentions }).text).toBe(
      '<!subteam^S0123ABCD> Failed — t',
    );
  });
});

describe('report rendering', () => {
  it('lists failing checks before warnings, with value, rule and baseline', () => {
    const message = renderReportMessage(SAMPLE_REPORTS['validate-model']);
    const checks = JSON.stringify(
      message.blocks.find((block) => JSON.stringify(block).includes('need attention')),
    );
    expect(checks).toContain('3 of 5 checks need attention');
    expect(checks.indexOf('ndcg@10')).toBeLessThan(checks.indexOf('catalog_coverage'));
    expect(checks).toContain('0.4012 vs ≥ 0.42 (baseline 0.4331)');
    expect(checks).not.toContain('mrr');
  });

  it('uses action wording from typed details, and the envelope refuses details of another shape', () => {
    const canary = JSON.stringify(renderReportMessage(SAMPLE_REPORTS['canary-gate']));
    expect(canary).toContain('Canary gate: roll back');
    expect(canary).toContain('roll it back');
    const rollback = JSON.stringify(renderReportMessage(SAMPLE_REPORTS.rollback));
    expect(rollback).toContain('`ranker-v42` → `ranker-v41`');
    const drift = SAMPLE_REPORTS['drift-check'];
    expect(() => parseReport({ ...drift, details: { ...drift.details, driftedColumns: 'age' } })).toThrow(
      'driftedColumns',
    );
  });

  it('offers only usable links as buttons', () => {
    const report = parseReport({
      ...SAMPLE_REPORTS['shift-traffic'],
      links: {
        run: 'javascript:alert(1)',
        commit: 'https://github.com/acme/recs/commit/1',
        pullRequest: 'not a url',
      },
    });
    const actions = renderReportMessage(report).blocks.find((block) => block.type === 'actions');
    expect(actions).toEqual({
      type: 'actions',
      elements: [
        expect.objectContaining({
          url: 'https://github.com/acme/recs/commit/1',
          text: expect.objectContaining({ text: 'Commit' }),
        }),
      ],
    });
  });

  it('says so when every check passed', () => {
    const report = parseReport({
      ...SAMPLE_REPORTS['validate-model'],
      verdict: 'pass',
      checks: [{ name: 'ndcg@10', status: 'pass' }],
    });
    expect(JSON.stringify(renderReportMessage(report))).toContain('All 1 checks passed or were skipped.');
  });
});

describe('report sections', () => {
  const report = (sections: unknown[]) => parseReport({ ...SAMPLE_REPORTS['drift-check'], sections });
  const table = {
    kind: 'table',
    title: 'Columns by drift score',
    columns: [
      { header: 'Column', format: 'code' },
      { header: 'Score', format: 'number' },
      { header: 'Drifted', format: 'flag' },
    ],
    rows: Array.from({ length: 7 }, (_, i) => [i === 0 ? HOSTILE : `c${i}`, 1 / (i + 3), i < 2]),
  };
  const chart = {
    kind: 'chart',
    title: 'error-rate: canary vs baseline',
    charts: [
      {
        title: 'error-rate',
        xAxis: { labels: [1, 2] },
        yAxis: {},
        series: [
          { name: 'canary', values: [1, 2] },
          { name: 'baseline', values: [1, 1] },
        ],
      },
    ],
  };

  it('lists the first rows of a table and mentions a chart in one line', () => {
    const text = JSON.stringify(renderReportMessage(report([table, chart])).blocks);
    expect(text).toContain(
      JSON.stringify(
        [
          '*Columns by drift score*',
          '• `&lt;!channel&gt; &lt;!here&gt; &lt;@U0HOSTILE&gt; &lt;https://evil.example|click&gt; &amp; \u02cbcode\u02cb` · 0.3333 · *Drifted*',
          '• `c1` · 0.25 · *Drifted*',
          '• `c2` · 0.2',
          '• `c3` · 0.1667',
          '• `c4` · 0.1429',
          '…and 2 more',
          '',
          ':bar_chart: *error-rate: canary vs baseline*: a chart of canary, baseline, drawn in the job summary',
        ].join('\n'),
      ).slice(1, -1),
    );
    expect(controlSequences(renderReportMessage(report([table])))).not.toContain('<!channel>');
  });

  it('says why a chart section has nothing to draw', () => {
    const empty = { kind: 'chart', title: 'latency', intro: 'No data to chart.', charts: [] };
    expect(JSON.stringify(renderReportMessage(report([empty])).blocks)).toContain(
      ':bar_chart: *latency*: No data to chart.',
    );
  });
});
