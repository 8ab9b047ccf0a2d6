import { mermaidText, renderSectionMarkdown } from '@recsys-actions/core';
import type { ColumnDrift } from '@recsys-actions/drift';
import { columnTable, distributionChart, driftSections } from '../src/render';
import { driftIssueUpdate } from '../src/drift-issue';
import { dispatchPayload } from '../src/dispatch';
import { column, driftResult } from './results';

const HOSTILE = ['@octo-org/admins', '<img src=x onerror=alert(1)>', '[x](https://evil)'];

/** The column table as the job summary shows it, without its heading. */
function tableMarkdown(columns: ColumnDrift[]): string {
  return renderSectionMarkdown({ ...columnTable(columns), title: 'Columns' }).replace(
    /^#### Columns\n\n/,
    '',
  );
}

/** One distribution chart as the job summary shows it: the mermaid block alone. */
function chartMarkdown(column: ColumnDrift): string {
  return renderSectionMarkdown({
    kind: 'chart',
    title: 'Chart',
    charts: [distributionChart(column)],
  }).replace(/^#### Chart\n\n/, '');
}

/** Markdown outside code spans and mermaid blocks: what GitHub would turn into mentions, links or HTML. */
function renderedText(markdown: string): string {
  return markdown.replace(/```mermaid[\s\S]*?```/g, '').replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '');
}

describe('column table', () => {
  it('shows every column in the order given, with p-values only when a test produced them', () => {
    const withP = tableMarkdown([
      column('price', { method: 'ks', statistic: 0.42, pValue: 0.001, threshold: 0.05 }),
      column('age', { drifted: false, score: 0.02, statistic: 0.02 }),
    ]);
    const lines = withP.split('\n');
    expect(lines[0]).toBe(
      '|  | Column | Type | Method | Score | Statistic | p-value | Threshold | Drifted |',
    );
    expect(lines[2]).toBe('| ⚠️ | `price` | numeric | ks | 0.31 | 0.42 | 0.001 | 0.05 | **yes** |');
    expect(lines[3]).toBe('| ✅ | `age` | numeric | psi | 0.02 | 0.02 | — | 0.1 | no |');
    expect(tableMarkdown([column('price')]).split('\n')[0]).not.toContain('p-value');
  });

  it('shows an infinite divergence by name, which a report (JSON) can carry', () => {
    const infinite = column('city', { method: 'kl', statistic: Infinity, score: Infinity });
    const table = columnTable([infinite]);
    expect(JSON.parse(JSON.stringify(table))).toEqual(table);
    expect(tableMarkdown([infinite]).split('\n')[2]).toBe(
      '| ⚠️ | `city` | numeric | kl | Infinity | Infinity | 0.1 | **yes** |',
    );
  });

  it('keeps long tables short and says where the rest is', () => {
    const columns = Array.from({ length: 60 }, (_, index) => column(`c${index}`));
    const table = tableMarkdown(columns);
    expect(table.split('\n').filter((line) => line.startsWith('| ⚠️'))).toHaveLength(50);
    expect(table).toContain('…and 10 more columns, listed in the JSON report.');
  });
});

describe('hostile column names and values', () => {
  const columns = HOSTILE.map((name) =>
    column(name, {
      histogram: { labels: [...HOSTILE, 'a"b\n```'], reference: [1, 2, 3, 4], current: [4, 3, 2, 1] },
    }),
  );
  const result = driftResult(columns);

  it('cannot mention, link or inject HTML in the job summary sections', () => {
    const markdown = driftSections(result).map(renderSectionMarkdown).join('\n');
    for (const name of HOSTILE) expect(markdown).toContain(`\`${name}\``);
    expect(renderedText(markdown)).not.toMatch(/@octo|<img|\]\(/);
  });

  it('writes tiny shares in decimals, which mermaid can read', () => {
    const rare = column('rare', {
      histogram: { labels: ['a', 'b'], reference: [1, 99_999], current: [50_000, 50_000] },
    });
    const lines = chartMarkdown(rare).split('\n');
    expect(lines).toContain('  bar [0.00001, 1]');
    expect(lines).toContain('  line [0.5, 0.5]');
  });

  it('cannot break out of the mermaid chart', () => {
    const chart = chartMarkdown(columns[1] ?? column('x'));
    // The init line holds only the schema-checked size and hex colours; the data sits below it.
    const [init, ...rest] = chart.split('\n').slice(1, -1);
    expect(init).toMatch(/^%%\{init: \{"xyChart":\{"width":720,"height":360\},.*"#1c7ed6, #e8590c".*\}%%$/);
    const body = rest.join('\n');
    expect(body).not.toMatch(/[<>`#;]/);
    expect(chart.split('\n')).toHaveLength(9);
    const axis = body.split('\n').find((line) => line.startsWith('  x-axis ')) ?? '';
    expect(JSON.parse(axis.slice('  x-axis '.length))).toHaveLength(4);
    expect(mermaidText('a"b\n```c<img>#35;', 24)).toBe('a_b____c_img__35_');
  });

  it('are escaped in the drift issue and its title stays plain', () => {
    const update = driftIssueUpdate(result, {
      environment: 'production',
      dataset: 'features',
      labels: ['drift'],
      date: '2026-11-22',
    });
    expect(update.title).toBe('Data drift in production/features');
    expect(renderedText(update.findings)).not.toMatch(/@octo|<img|\]\(/);
    expect(update.findings).toContain('`[x](https://evil)`');
  });
});

describe('drift issue', () => {
  const scope = {
    environment: 'production',
    dataset: 'features',
    labels: ['drift', 'ml'],
    runUrl: 'https://github.com/octo-org/recsys/actions/runs/4242',
    date: '2026-11-22',
  };

  it('reports the day, the share and the table, and links the run', () => {
    const update = driftIssueUpdate(driftResult([column('price'), column('age', { drifted: false })]), scope);
    expect(update).toMatchObject({
      marker: '<!-- recsys-actions:drift:production:features -->',
      labels: ['drift', 'ml'],
      present: true,
    });
    expect(update.findings).toMatch(
      /^### Data drift on 2026-11-22\n\n`production\/features`: 1 of 2 columns drifted \(50 %\)\./,
    );
    expect(update.findings).toContain('#### Columns by drift score');
    expect(update.findings).toContain('| ⚠️ | `price` |');
    expect(update.findings.endsWith('[Run](https://github.com/octo-org/recsys/actions/runs/4242)')).toBe(
      true,
    );
    expect(update.resolution).toContain(
      'No dataset drift on 2026-11-22: 1 of 2 columns drifted (50 %). Closing',
    );
  });
});

describe('dispatch payload', () => {
  it('fits GitHub limits: at most 10 properties and well under 64 KB, whatever the columns', () => {
    const columns = Array.from({ length: 5000 }, (_, index) => column(`${'x'.repeat(40)}_${index}`));
    const payload = dispatchPayload(driftResult(columns), { environment: 'production', dataset: 'features' });
    expect(Object.keys(payload).length).toBeLessThanOrEqual(10);
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThan(40 * 1024);
    expect(payload.drifted_column_count).toBe(5000);
    expect((payload.drifted_columns as string[]).length).toBeGreaterThan(500);
    expect((payload.drifted_columns as string[])[0]).toBe(`${'x'.repeat(40)}_0`);
  });

  it('carries the summary a retraining workflow needs', () => {
    const payload = dispatchPayload(driftResult([column('price'), column('age', { drifted: false })]), {
      environment: 'production',
      dataset: 'features',
      runUrl: 'https://github.com/octo-org/recsys/actions/runs/1',
      sha: 'abc',
    });
    expect(payload).toEqual({
      environment: 'production',
      dataset: 'features',
      drift_share: 0.5,
      drifted_columns: ['price'],
      drifted_column_count: 1,
      run_url: 'https://github.com/octo-org/recsys/actions/runs/1',
      sha: 'abc',
    });
  });
});

describe('readable distribution charts', () => {
  const edges = Array.from({ length: 15 }, (_, i) => 10 + 5 * i);
  const numeric = column('price', {
    histogram: {
      labels: edges.slice(0, -1).map((edge, i) => `${edge}–${edges[i + 1]}`),
      reference: Array.from({ length: 14 }, (_, i) => i + 1),
      current: Array.from({ length: 14 }, () => 1),
    },
  });

  it('merges 14 numeric bins into at most 8 runs of neighbours, their ranges joined and shares kept', () => {
    const chart = distributionChart(numeric);
    expect(chart.xAxis.labels).toEqual(['10–20', '20–30', '30–40', '40–50', '50–60', '60–70', '70–80']);
    const [bars, line] = chart.series;
    expect(bars?.values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(bars?.values[0]).toBeCloseTo(3 / 105, 12);
    expect(line?.values).toEqual(Array(7).fill(2 / 14));
    // Saturated colours: the default palette's pale bars were hard to see.
    expect(chart.series.map((series) => series.colour)).toEqual(['#1c7ed6', '#e8590c']);
  });

  it('keeps the 7 largest categories and sums the rest into other', () => {
    const names = 'abcdefghijkl'.split('');
    const chart = distributionChart(
      column('city', {
        type: 'categorical',
        histogram: { labels: names, reference: names.map(() => 1), current: names.map(() => 2) },
      }),
    );
    expect(chart.xAxis.labels).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'other']);
    expect(chart.series[0]?.values.at(-1)).toBeCloseTo(5 / 12, 12);
  });

  it('leaves a numeric "other" bin apart from the merged ranges', () => {
    const withOther = column('price', {
      histogram: {
        labels: [...numeric.histogram.labels.slice(0, 12), 'other'],
        reference: Array(13).fill(1),
        current: Array(13).fill(1),
      },
    });
    const labels = distributionChart(withOther).xAxis.labels;
    expect(labels.length).toBeLessThanOrEqual(8);
    expect(labels.at(-1)).toBe('other');
    expect(labels[0]).toBe('10–20');
  });
});
