import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runAction, type ActionRun, type RunActionOptions } from '@recsys-actions/testkit';

export const RUN_URL = 'https://github.com/octo-org/recsys/actions/runs/4242';
export const RUN_SHA = 'ffac537e6cbbf934b08745a378932722df287a53';

/** A traffic file as the file router writes it, for seeding what a service already runs. */
export function trafficFile(targets: Record<string, number>, environment = 'production'): string {
  const split = {
    targets: Object.entries(targets).map(([version, weight]) => ({ version, weight })),
    stickiness: 'request',
  };
  return JSON.stringify({ environment, revision: 1, updatedAt: '2026-03-01T09:00:00.000Z', split });
}

/** Every file under a folder with its content, to show that a refused step changed nothing. */
export function snapshot(folder: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(folder, { recursive: true, encoding: 'utf8' })
      .filter((path) => statSync(join(folder, path)).isFile())
      .sort()
      .map((path) => [path, readFileSync(join(folder, path), 'utf8')]),
  );
}

export function readTrafficSplit(workspace: string, environment = 'production'): Record<string, number> {
  const file = JSON.parse(readFileSync(join(workspace, 'traffic', `${environment}.json`), 'utf8')) as {
    split: { targets: { version: string; weight: number }[] };
  };
  return Object.fromEntries(file.split.targets.map((target) => [target.version, target.weight]));
}

export function readLedgerFile(workspace: string, environment = 'production'): Record<string, unknown>[] {
  const path = join(workspace, '.recsys', 'ledger', `${environment}.jsonl`);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The journal in short: `intent shift v2 90/10`, `outcome applied`, as people read the file. */
export function journalSummary(workspace: string, environment = 'production'): string[] {
  return readLedgerFile(workspace, environment).map((entry) => {
    if (entry.type === 'outcome') return `outcome ${String(entry.result)}`;
    const to = (entry.to as { targets: { version: string; weight: number }[] }).targets;
    return `intent ${String(entry.step)} ${String(entry.version)} ${to.map((target) => `${target.version}:${target.weight}`).join('/')}`;
  });
}

let nextRunId = 5000;

/**
 * Runs the built action in `workspace` for the production environment, as a workflow run of its own (a fresh
 * GITHUB_RUN_ID) unless `env` names the run, as a re-run does.
 */
export function step(
  action: 'shift-traffic' | 'rollback',
  workspace: string,
  inputs: Record<string, string | number>,
  options: { env?: Record<string, string>; token?: string } & Pick<
    RunActionOptions,
    'timeoutMs' | 'wrap'
  > = {},
): Promise<ActionRun> {
  const env = { GITHUB_RUN_ID: String(nextRunId++), ...options.env };
  return runAction({ action, workspace, inputs: { environment: 'production', ...inputs }, ...options, env });
}

export function expectSuccess(run: ActionRun): void {
  expect({ exitCode: run.exitCode, errors: run.errors }).toEqual({ exitCode: 0, errors: [] });
}
