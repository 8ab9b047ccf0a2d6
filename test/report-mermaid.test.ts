// Every mermaid block the job summaries of the report corpus hold is parsed by the real mermaid package, so a
// chart that GitHub would show as a parse error fails here instead.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseReport, renderReportMarkdown } from '@recsys-actions/core';
import { REPORT_CORPUS_DIR, repoRoot, runnerNodeBinary } from '@recsys-actions/testkit';

type ParseResult = { type: string } | { error: string };

function parseWithMermaid(diagrams: string[]): ParseResult[] {
  const output = execFileSync(runnerNodeBinary(), [join(repoRoot(), 'test/support/mermaid-parse.mjs')], {
    input: JSON.stringify(diagrams),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(output) as ParseResult[];
}

const blocks = readdirSync(REPORT_CORPUS_DIR)
  .filter((file) => file.endsWith('.json'))
  .flatMap((file) => {
    const report = parseReport(JSON.parse(readFileSync(join(REPORT_CORPUS_DIR, file), 'utf8')));
    const markdown = renderReportMarkdown(report);
    return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map(
      (match, index) => [`${file} #${index + 1}`, match[1] ?? ''] as const,
    );
  });

describe('mermaid blocks of the report corpus', () => {
  const results = parseWithMermaid([
    ...blocks.map(([, diagram]) => diagram),
    'xychart-beta\n  line [1, 2e-7]',
  ]);

  it('include the drift and canary charts', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks.map(([name], index) => [name, index] as const))(
    '%s parses as an xychart',
    (_name, index) => {
      expect(results[index]).toEqual({ type: 'xychart' });
    },
  );

  it('are checked by a parser that refuses what GitHub would refuse (an exponent in a series)', () => {
    expect(results.at(-1)).toEqual({ error: expect.stringMatching(/^Parse error on line 2/) });
  });
});
