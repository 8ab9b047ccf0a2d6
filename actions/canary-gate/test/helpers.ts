import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '@recsys-actions/testkit';

/** A fresh GITHUB_WORKSPACE holding the demo recordings under recordings/ and the given files. */
export function workspaceWith(files: Record<string, string> = {}): string {
  const workspace = mkdtempSync(join(tmpdir(), 'canary-gate-ws-'));
  cpSync(join(repoRoot(), 'demo', 'recordings'), join(workspace, 'recordings'), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), content);
  }
  return workspace;
}

/** JSONL of one 60 s interval per entry: requests and errors per role, plus an explicit p95 latency. */
export function recordingOf(intervals: { canary: [number, number]; baseline: [number, number] }[]): string {
  return intervals
    .flatMap(({ canary, baseline }, i) =>
      (
        [
          ['canary', canary],
          ['baseline', baseline],
        ] as const
      ).flatMap(([role, [requests, errors]]) => [
        { t: 60 * (i + 1), role, series: 'requests_total', value: requests },
        { t: 60 * (i + 1), role, series: 'errors_total', value: errors },
        { t: 60 * (i + 1), role, series: 'latency_p95_seconds', value: 0.08 },
      ]),
    )
    .map((line) => JSON.stringify(line))
    .join('\n');
}

/** The inputs of a replay of the demo recordings: 60 s intervals for up to 30 minutes, v2 against v1. */
export const DEMO_INPUTS = {
  source: 'file',
  checks: 'recordings/checks.yml',
  interval: '60s',
  'max-duration': '30m',
  'canary-version': 'v2',
  'baseline-version': 'v1',
};
