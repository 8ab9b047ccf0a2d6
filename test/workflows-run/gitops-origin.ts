import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git, repoRoot } from '@recsys-actions/testkit';

// A bare "origin" for workflows that push (file router, file ledger, push: branch): every job of the local
// runner clones it afresh, so a traffic step counts only if the job pushed it.

export { git };

/** canary-release's inputs for v2 against v1 in two steps, on the file router and the file ledger. */
export const TWO_STEP_RELEASE = {
  environment: 'production',
  'stable-version': 'v1',
  'canary-version': 'v2',
  steps: '10,100',
  router: 'file',
  ledger: 'file',
};

/** The demo's checks, over the series of the recordings the origin holds. */
export const CHECKS = readFileSync(join(repoRoot(), 'demo/recordings/checks.yml'), 'utf8');

/** 10 minutes in which the canary gets no requests: the gate cannot judge it. */
function idleRecording(): string {
  const lines: string[] = [];
  for (let t = 60; t <= 600; t += 60) {
    for (const [role, requests, errors] of [
      ['canary', 0, 0],
      ['baseline', 12_000, 120],
    ] as const) {
      lines.push(JSON.stringify({ t, role, series: 'requests_total', value: requests }));
      lines.push(JSON.stringify({ t, role, series: 'errors_total', value: errors }));
      lines.push(JSON.stringify({ t, role, series: 'latency_p95_seconds', value: 0.08 }));
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A bare origin whose main holds traffic/production.json at v1 100 %, the recordings (healthy, regressing,
 * idle) and the given extra files (path → content).
 */
export function originWithStableSplit(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'gitops-e2e-'));
  const origin = join(root, 'origin.git');
  const work = join(root, 'work');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', origin);
  git(root, 'clone', '--quiet', origin, work);
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), content);
  };
  write(
    'traffic/production.json',
    `${JSON.stringify({
      environment: 'production',
      revision: 1,
      updatedAt: '2026-01-01T00:00:00.000Z',
      split: { targets: [{ version: 'v1', weight: 100 }], stickiness: 'request' },
    })}\n`,
  );
  cpSync(join(repoRoot(), 'demo/recordings/healthy.jsonl'), join(work, 'recordings/healthy.jsonl'));
  cpSync(join(repoRoot(), 'demo/recordings/regressing.jsonl'), join(work, 'recordings/regressing.jsonl'));
  write('recordings/idle.jsonl', idleRecording());
  for (const [path, content] of Object.entries(files)) write(path, content);
  git(work, 'add', '.');
  git(work, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '--quiet', '-m', 'v1 live');
  git(work, 'push', '--quiet', 'origin', 'main');
  return origin;
}

/** The split on main of the origin now. */
export function splitOf(origin: string): { version: string; weight: number }[] {
  const traffic = JSON.parse(git(origin, 'show', 'main:traffic/production.json')) as {
    split: { targets: { version: string; weight: number }[] };
  };
  return traffic.split.targets;
}

/** What main of the origin says now: the split and the journal (ledger: file) in its head commit. */
export function headOf(origin: string) {
  const journal = git(origin, 'show', 'main:.recsys/ledger/production.jsonl')
    .split('\n')
    .map((line) => JSON.parse(line) as { kind?: string; type?: string; key?: string });
  const subjects = git(origin, 'log', '--format=%an|%s', 'main').split('\n');
  return { targets: splitOf(origin), journal, subjects };
}
