import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { UserFacingError } from '@recsys-actions/core';
import type { Value } from './expressions';
import type { LoadedWorkflow } from './load';
import type { Run, RunWorkflowOptions } from './run-context';

/** The top folder of the git repository holding `dir`. */
export function gitTopLevel(dir: string): string {
  try {
    return git(['rev-parse', '--show-toplevel'], dir);
  } catch {
    throw new UserFacingError(
      `${dir} is not inside a git repository; pass the repository to check out. Example: --repo ../my-model`,
    );
  }
}

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: 'pipe' }).trim();
}

/** owner/name of the repository's GitHub origin remote, when it has one. */
function originRepository(repo: string): string | undefined {
  try {
    return /github\.com[:/]([^/]+\/[^/]+?)(\.git)?$/.exec(git(['remote', 'get-url', 'origin'], repo))?.[1];
  } catch {
    return undefined;
  }
}

/** The run's shared state: the github context (from the repository's HEAD unless given), event file, artifacts. */
export function startRun(
  options: RunWorkflowOptions,
  repo: string,
  suiteRoot: string,
  workflow: LoadedWorkflow,
  event: string,
  inputs: Record<string, Value>,
): Run {
  const scratch = mkdtempSync(join(tmpdir(), 'workflow-run-'));
  const earlier = options.rerunOf?.attempt;
  const artifactsDir = options.artifactsDir ?? options.rerunOf?.artifactsDir ?? join(scratch, 'artifacts');
  mkdirSync(artifactsDir, { recursive: true });
  const payload = options.eventPayload ?? (event === 'workflow_dispatch' ? { inputs } : {});
  const eventPath = join(scratch, 'event.json');
  writeFileSync(eventPath, JSON.stringify(payload));
  const ref = options.ref ?? earlier?.ref ?? `refs/heads/${git(['rev-parse', '--abbrev-ref', 'HEAD'], repo)}`;
  const repository = options.repository ?? originRepository(repo) ?? `octo-org/${basename(repo)}`;
  const runId = earlier?.runId ?? String(Date.now() % 1_000_000_000);
  const github: Record<string, Value> = {
    event_name: event,
    event: payload,
    event_path: eventPath,
    sha: options.sha ?? earlier?.sha ?? git(['rev-parse', 'HEAD'], repo),
    ref,
    ref_name: ref.replace(/^refs\/(heads|tags)\//, ''),
    repository,
    repository_owner: repository.split('/')[0] ?? '',
    run_id: runId,
    run_number: '1',
    run_attempt: String((earlier?.number ?? 0) + 1),
    actor: options.actor ?? 'octocat',
    workflow: workflow.root.find('name')?.toString() ?? basename(workflow.file),
    server_url: 'https://github.com',
    api_url: options.env?.GITHUB_API_URL ?? 'https://api.github.com',
    token: options.token ?? options.secrets?.GITHUB_TOKEN ?? '',
  };
  const log = options.log ?? ((line: string) => console.log(line));
  // A bare repository (the "GitHub" of a test that pushes) has no work tree to be dirty.
  if (git(['rev-parse', '--is-bare-repository'], repo) !== 'true' && git(['status', '--porcelain'], repo))
    log(`note: ${repo} has uncommitted changes; actions/checkout clones its committed HEAD without them`);
  return { options, repo, suiteRoot, artifactsDir, github, log };
}
