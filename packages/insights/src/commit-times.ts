import { promisify } from 'node:util';

// Loaded on first use, not at import: every action's cold start (a bad input included) would pay for it.
const childProcess = () => process.getBuiltinModule('node:child_process');

/** The fallback for commits the checkout lacks (a shallow clone): the repository's commits on GitHub. */
export interface CommitsApi {
  /** The committer date of `sha` (ISO 8601), or undefined when the repository has no such commit. */
  committedAt(sha: string): Promise<string | undefined>;
}

export interface CommitTimeLookup {
  times: Map<string, number>;
  /** How many came from the API because the checkout lacked them. */
  fromApi: number;
  /** Commits nobody knew; their promotions count without a lead time. */
  missing: string[];
}

/**
 * Commit times by SHA: from git in `workspace` (two processes for any number of commits), and from `api` for
 * those the checkout lacks, one request each. Without an API, or where it does not know them, they are missing.
 */
export async function lookUpCommitTimes(
  shas: readonly string[],
  workspace: string,
  api?: CommitsApi,
): Promise<CommitTimeLookup> {
  const times = await gitCommitTimes(shas, workspace);
  const absent = shas.filter((sha) => !times.has(sha));
  const missing: string[] = [];
  let fromApi = 0;
  for (const sha of absent) {
    const committed = api ? await api.committedAt(sha) : undefined;
    if (committed === undefined) missing.push(sha);
    else {
      times.set(sha, Date.parse(committed));
      fromApi += 1;
    }
  }
  return { times, fromApi, missing };
}

/** Committer dates of the commits the checkout has; a workspace that is no git repository has none. */
async function gitCommitTimes(shas: readonly string[], workspace: string): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  if (shas.length === 0) return times;
  const present = await presentCommits(shas, workspace);
  if (present.length === 0) return times;
  const { stdout } = await promisify(childProcess().execFile)(
    'git',
    ['show', '-s', '--format=%H %cI', ...present.map(([, full]) => full)],
    {
      cwd: workspace,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const dates = new Map(
    stdout.split('\n').flatMap((line) => {
      const [full, date] = line.split(' ');
      return full && date ? [[full, Date.parse(date)] as const] : [];
    }),
  );
  for (const [sha, full] of present) {
    const date = dates.get(full);
    if (date !== undefined) times.set(sha, date);
  }
  return times;
}

/** [asked, full SHA] of the commits the repository holds, asked in one `git cat-file --batch-check`. */
async function presentCommits(shas: readonly string[], workspace: string): Promise<[string, string][]> {
  let stdout: string;
  try {
    stdout = await runWithInput(
      'git',
      ['cat-file', '--batch-check=%(objectname) %(objecttype)'],
      workspace,
      shas,
    );
  } catch {
    return [];
  }
  const lines = stdout.split('\n');
  return shas.flatMap((sha, index) => {
    const [full, type] = (lines[index] ?? '').split(' ');
    return full && type === 'commit' ? [[sha, full] as [string, string]] : [];
  });
}

function runWithInput(
  command: string,
  args: string[],
  cwd: string,
  lines: readonly string[],
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = childProcess().execFile(
      command,
      args,
      { cwd, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
    // git exits at once outside a repository; writing to its closed stdin then fails with EPIPE.
    // The exit callback above already reports that failure, so the pipe's own error is not a second one.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(`${lines.join('\n')}\n`);
  });
}
