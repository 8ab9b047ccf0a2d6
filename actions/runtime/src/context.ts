import { readFileSync } from 'node:fs';

/** What an action needs to know about the run it is part of, read once from the runner's environment. */
export interface RunContext {
  workspace: string;
  owner?: string;
  repo?: string;
  sha?: string;
  ref?: string;
  actor?: string;
  eventName?: string;
  event: Record<string, unknown>;
  serverUrl: string;
  apiUrl: string;
  runUrl?: string;
  /** GITHUB_RUN_ID, GITHUB_JOB and GITHUB_ACTION: which run, job and step this is; re-runs keep all three. */
  runId?: string;
  job?: string;
  action?: string;
  commitUrl?: string;
  pullRequest?: { number: number; url?: string };
}

export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/$/, '');
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const repository = owner && repo ? `${serverUrl}/${owner}/${repo}` : undefined;
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const pull = event.pull_request as { number?: number; html_url?: string } | undefined;
  return {
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    owner: owner || undefined,
    repo: repo || undefined,
    sha: env.GITHUB_SHA || undefined,
    ref: env.GITHUB_REF || undefined,
    actor: env.GITHUB_ACTOR || undefined,
    eventName: env.GITHUB_EVENT_NAME || undefined,
    event,
    serverUrl,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, ''),
    runUrl: repository && env.GITHUB_RUN_ID ? `${repository}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    runId: env.GITHUB_RUN_ID || undefined,
    job: env.GITHUB_JOB || undefined,
    action: env.GITHUB_ACTION || undefined,
    commitUrl: repository && env.GITHUB_SHA ? `${repository}/commit/${env.GITHUB_SHA}` : undefined,
    pullRequest: typeof pull?.number === 'number' ? { number: pull.number, url: pull.html_url } : undefined,
  };
}

function readEvent(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
