import { parseReport, renderReportMarkdown, renderSectionMarkdown, reportSectionSchema } from '../src/index';

const envelope = {
  schemaVersion: 1,
  action: 'drift-check',
  verdict: 'drift',
  title: 'Dataset drift',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  details: {
    dataset: 'events',
    driftShare: 0.5,
    driftedColumns: ['price'],
    columns: [{ column: 'price' }],
    prediction: null,
    quality: [],
    rows: {},
    profileSource: 'computed',
    issueNumber: null,
  },
} as const;

describe('report sections', () => {
  it('are optional, so reports written before sections existed still parse', () => {
    expect(parseReport(envelope).sections).toEqual([]);
  });

  it('render a table with each column in its format, hostile text escaped', () => {
    const section = reportSectionSchema().parse({
      kind: 'table',
      title: 'Columns',
      intro: 'Reference: 10 rows.',
      columns: [
        { header: 'Column', format: 'code' },
        { header: 'Note' },
        { header: 'Score', format: 'number' },
        { header: 'Drifted', format: 'flag' },
      ],
      rows: [
        ['price', '<img src=x> @octo', 0.123456, true],
        ['age', 'ok', null, false],
      ],
      footnote: '…and 3 more.',
    });
    expect(renderSectionMarkdown(section)).toBe(
      [
        '#### Columns',
        'Reference: 10 rows.',
        [
          '| Column | Note | Score | Drifted |',
          '| --- | --- | --- | --- |',
          '| `price` | &lt;img src=x&gt; @\u200bocto | 0.1235 | **yes** |',
          '| `age` | ok | — | no |',
        ].join('\n'),
        '…and 3 more.',
      ].join('\n\n'),
    );
  });

  it('render a chart as a mermaid xychart with its size and series colours', () => {
    const section = reportSectionSchema().parse({
      kind: 'chart',
      title: 'error-rate',
      charts: [
        {
          title: '%%{init} rate',
          xAxis: { label: 'minutes', labels: [1, 2] },
          yAxis: { label: 'rate (%)', range: { min: 0, max: 5 } },
          series: [
            { name: 'canary', values: [2, 0.0000001], colour: '#e8590c' },
            { name: 'baseline', style: 'bar', values: [1, 1], colour: '#1c7ed6' },
          ],
          size: { width: 600, height: 300 },
        },
      ],
    });
    expect(renderSectionMarkdown(section).split('\n')).toEqual([
      '#### error-rate',
      '',
      '```mermaid',
      '%%{init: {"xyChart":{"width":600,"height":300},"themeVariables":{"xyChart":{"plotColorPalette":"#e8590c, #1c7ed6"}}}}%%',
      'xychart-beta',
      '  title "%_%_init_ rate"',
      '  x-axis "minutes" [1, 2]',
      '  y-axis "rate (%)" 0 --> 5',
      '  line [2, 0.0000001]',
      '  bar [1, 1]',
      '```',
    ]);
  });

  it('refuse a colour that could end the mermaid directive', () => {
    const chart = {
      kind: 'chart',
      title: 't',
      charts: [
        {
          title: 't',
          xAxis: { labels: ['a'] },
          yAxis: {},
          series: [{ name: 's', values: [1], colour: '"}}%%' }],
        },
      ],
    };
    expect(reportSectionSchema().safeParse(chart).success).toBe(false);
  });

  it('come after the checks and before the links in the report Markdown', () => {
    const report = parseReport({
      ...envelope,
      checks: [{ name: 'share', status: 'warn' }],
      links: { run: 'https://github.com/o/r/actions/runs/1' },
      sections: [{ kind: 'table', title: 'Columns', columns: [{ header: 'Column' }], rows: [['price']] }],
    });
    const markdown = renderReportMarkdown(report);
    const at = (text: string) => markdown.indexOf(text);
    expect(at('`share`')).toBeLessThan(at('#### Columns'));
    expect(at('| price |')).toBeGreaterThan(at('#### Columns'));
    expect(at('[Run]')).toBeGreaterThan(at('| price |'));
  });
});
