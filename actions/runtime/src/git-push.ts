import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UserFacingError } from '@recsys-actions/core';

/** What a push needs: the files a step wrote, the commit it makes of them and the branch it lands on. */
export interface GitPushRequest {
  workspace: string;
  /** Paths relative to the workspace; only these are committed, whatever else the job changed. */
  files: readonly string[];
  message: string;
  author: { name: string; email: string };
  branch: string;
  /** How many pushes to try when another job pushed in between (each retry rebases first). Default 3. */
  attempts?: number;
  /** Replace the branch instead of rebasing onto it: for a branch only this action writes (`recsys/<env>`). */
  force?: boolean;
}

export interface GitPushResult {
  /** The commit now at the head of the branch; undefined when there was nothing to commit. */
  commit?: string;
  /** Pushes it took, 0 when nothing was committed. */
  attempts: number;
}

/** github-actions[bot], as GitHub's own actions sign their commits. */
export const GITHUB_ACTIONS_BOT = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
};

/** The names a job must get right for a push to be allowed, for every message that a push failed. */
const PERMISSIONS_HINT =
  'The job needs `permissions: contents: write` and actions/checkout with `persist-credentials: true`.';

/**
 * Commits exactly `files` (when any of them changed) and pushes the commit to `branch`. A push rejected because
 * the branch moved is rebased onto it and retried; a rebase that conflicts is aborted and refused, because
 * another step changed the same files first. Nothing is live before the push lands, so every failure says so.
 */
export async function commitAndPush(request: GitPushRequest): Promise<GitPushResult> {
  const git = gitIn(request.workspace);
  const files = await filesToCommit(git, request);
  if (files.length === 0) return { attempts: 0 };
  await git(['add', '--all', '--', ...files]);
  const staged = await git(['diff', '--cached', '--quiet', '--', ...files]).then(
    () => false,
    () => true,
  );
  if (!staged) return { attempts: 0 };
  const { name, email } = request.author;
  await git(
    ['-c', `user.name=${name}`, '-c', `user.email=${email}`, 'commit', '--quiet', '--no-verify'].concat([
      '-m',
      request.message,
      '--',
      ...files,
    ]),
  );
  const attempts = await pushWithRetries(git, request);
  return { commit: (await git(['rev-parse', 'HEAD'])).trim(), attempts };
}

type Git = (args: string[]) => Promise<string>;

/** Runs git with arguments, never through a shell; a failure carries git's stderr with credentials removed. */
function gitIn(workspace: string): Git {
  return async (args) => {
    try {
      const { stdout } = await promisify(process.getBuiltinModule('node:child_process').execFile)(
        'git',
        args,
        {
          cwd: workspace,
          encoding: 'utf8',
          env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
        },
      );
      return stdout;
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
      throw new GitCommandError(commandName(args), redactCredentials(stderr));
    }
  };
}

/** The subcommand, past any `-c name=value` options. */
function commandName(args: string[]): string {
  return args.find((arg, index) => arg !== '-c' && args[index - 1] !== '-c') ?? 'git';
}

class GitCommandError extends Error {
  constructor(
    readonly command: string,
    readonly stderr: string,
  ) {
    super(`git ${command} failed: ${stderr || 'no message'}`);
  }
}

/** `https://user:token@host` → `https://***@host`: git echoes remote URLs, and a URL may hold a token. */
export function redactCredentials(text: string): string {
  return text.replace(/(\w+:\/\/)[^/\s@]+@/g, '$1***@');
}

/** The requested files that exist or that git tracks (a deleted tracked file is a change to commit too). */
async function filesToCommit(git: Git, request: GitPushRequest): Promise<string[]> {
  await git(['rev-parse', '--is-inside-work-tree']).catch(() => {
    throw new UserFacingError(
      `push needs a git checkout in the workspace, but ${request.workspace} is not one; add actions/checkout ` +
        `before this step. Traffic did not move: nothing is live until it is pushed.`,
    );
  });
  const tracked = new Set((await git(['ls-files', '--', ...request.files])).split('\n').filter(Boolean));
  return request.files.filter((file) => tracked.has(file) || existsSync(join(request.workspace, file)));
}

async function pushWithRetries(git: Git, request: GitPushRequest): Promise<number> {
  const attempts = request.attempts ?? 3;
  const target = `HEAD:refs/heads/${request.branch}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await git(['push', '--quiet', ...(request.force ? ['--force'] : []), 'origin', target]);
      return attempt;
    } catch (error) {
      if (!(error instanceof GitCommandError)) throw error;
      if (!isRejectedAsBehind(error.stderr)) throw pushFailed(request.branch, error.stderr);
      if (attempt >= attempts) {
        throw new UserFacingError(
          `Could not push to ${request.branch}: it moved again before each of ${attempts} pushes. Traffic did ` +
            'not move: nothing is live until it is pushed. Re-run the job.',
        );
      }
      await rebaseOntoRemote(git, request.branch);
    }
  }
}

function isRejectedAsBehind(stderr: string): boolean {
  return /non-fast-forward|fetch first|\[rejected\]|updates were rejected/i.test(stderr);
}

function pushFailed(branch: string, stderr: string): UserFacingError {
  return new UserFacingError(
    `Could not push the traffic change to ${branch}, so traffic did not move: nothing is live until it is ` +
      `pushed. ${PERMISSIONS_HINT} git said: ${stderr || 'nothing'}`,
  );
}

async function rebaseOntoRemote(git: Git, branch: string): Promise<void> {
  try {
    await git(['fetch', '--quiet', 'origin', `refs/heads/${branch}`]);
  } catch (error) {
    throw pushFailed(branch, error instanceof GitCommandError ? error.stderr : String(error));
  }
  try {
    await git(
      ['-c', `user.name=${GITHUB_ACTIONS_BOT.name}`, '-c', `user.email=${GITHUB_ACTIONS_BOT.email}`].concat([
        'rebase',
        '--quiet',
        'FETCH_HEAD',
      ]),
    );
  } catch {
    await git(['rebase', '--abort']).catch(() => undefined);
    throw new UserFacingError(
      `Another step pushed a change to the same traffic or ledger files on ${branch} first, so this one was not ` +
        'pushed and traffic did not move: nothing is live until it is pushed. Re-run the job to start from ' +
        'what is on the branch now.',
    );
  }
}

/** What the pull request of `push: pr` says; opened once per environment branch and updated after that. */
export interface TrafficPullRequest {
  owner: string;
  repo: string;
  head: string;
  base: string;
  title: string;
  body: string;
}

/** The few pulls operations `push: pr` uses, so the caller decides which client speaks them. */
export interface PullsApi {
  listOpen(owner: string, repo: string, head: string): Promise<{ number: number; html_url: string }[]>;
  create(pull: TrafficPullRequest): Promise<{ number: number; html_url: string }>;
  update(owner: string, repo: string, number: number, title: string, body: string): Promise<unknown>;
}

/** Opens the pull request from `head` to `base`, or retitles the open one: one PR per environment branch. */
export async function openOrUpdatePullRequest(
  pulls: PullsApi,
  pull: TrafficPullRequest,
): Promise<{ number: number; url: string; created: boolean }> {
  const [open] = await pulls.listOpen(pull.owner, pull.repo, `${pull.owner}:${pull.head}`);
  if (open) {
    await pulls.update(pull.owner, pull.repo, open.number, pull.title, pull.body);
    return { number: open.number, url: open.html_url, created: false };
  }
  const created = await pulls.create(pull);
  return { number: created.number, url: created.html_url, created: true };
}
