import { execFileSync } from 'node:child_process';
import { createGitHubLedger, type Ledger } from '@recsys-actions/ledger';
import { readRunContext } from '@recsys-actions/runtime/context';
import { githubDeployments } from '@recsys-actions/runtime/deployments';
import { githubClient } from '@recsys-actions/runtime/github-client';
import { git, workspaceWith } from '@recsys-actions/testkit';
import type { GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { JournalWriter } from '../../../packages/insights/test/ledgers';
import {
  COMMITS,
  writeProduction,
  writeStaging,
  type CommitName,
} from '../../../packages/insights/test/scenarios';

export const UNTIL = '2026-03-29T00:00:00Z';

/**
 * A checkout whose history holds the scenario's commits, committed at COMMITS' times, and the file ledgers of
 * production and staging naming them. `lacking` commits are made on a branch that is then deleted and pruned,
 * as a shallow clone would lack them: their SHAs are real but the checkout no longer has them.
 */
export async function marchWorkspace(
  lacking: CommitName[] = [],
): Promise<{ workspace: string; shas: Record<CommitName, string> }> {
  const workspace = workspaceWith({ 'README.md': 'recs\n' });
  git(workspace, 'init', '-q', '-b', 'main');
  git(workspace, 'add', '.');
  git(workspace, 'commit', '-q', '-m', 'start');
  const shas = {} as Record<CommitName, string>;
  for (const [name, { at }] of Object.entries(COMMITS) as [CommitName, { at: string }][]) {
    const branch = lacking.includes(name) ? `gone-${name}` : 'main';
    if (branch !== 'main') git(workspace, 'checkout', '-q', '-b', branch);
    commitAt(workspace, name, at);
    shas[name] = git(workspace, 'rev-parse', 'HEAD');
    if (branch !== 'main') {
      git(workspace, 'checkout', '-q', 'main');
      git(workspace, 'branch', '-q', '-D', branch);
    }
  }
  if (lacking.length > 0) {
    git(workspace, 'reflog', 'expire', '--expire=now', '--all');
    git(workspace, 'gc', '-q', '--prune=now');
  }
  await writeProduction(JournalWriter.file(workspace, 'production'), (name) => shas[name]);
  await writeStaging(JournalWriter.file(workspace, 'staging'), (name) => shas[name]);
  return { workspace, shas };
}

function commitAt(workspace: string, name: string, at: string): void {
  const env = { ...process.env, GIT_COMMITTER_DATE: at, GIT_AUTHOR_DATE: at };
  execFileSync(
    'git',
    [
      '-c',
      'user.name=recsys-test',
      '-c',
      'user.email=test@example.invalid',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      name,
    ],
    { cwd: workspace, env },
  );
}

/** The github ledger of `environment` on the emulator, written through the runtime's Octokit port as a step writes it. */
export function emulatedLedger(github: GitHubEmulator, environment = 'production'): Ledger {
  const context = { ...readRunContext({}), owner: 'octo-org', repo: 'recsys', apiUrl: github.url };
  const api = githubDeployments(githubClient('ghs_seed', context), context);
  return createGitHubLedger({ api, environment, ref: 'a'.repeat(40) });
}
