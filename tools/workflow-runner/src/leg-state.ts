import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseOutputFile } from '@recsys-actions/testkit';
import type { Scope, Value } from './expressions';
import type { LoadedJob, LoadedStep } from './load';
import type { Frame, Run } from './run-context';

/** One leg of a job while its steps run: its workspace, environment and what the steps have given so far. */
export interface LegState {
  run: Run;
  frame: Frame;
  job: LoadedJob;
  /** How log lines of this leg start, e.g. `[release (5)]`. */
  label: string;
  workspace: string;
  runnerTemp: string;
  /** Contexts fixed for the leg: github, inputs, secrets, needs, matrix, strategy, runner, vars. */
  contexts: Record<string, Value>;
  /** Workflow and job env, then what steps appended to GITHUB_ENV. */
  env: Record<string, string>;
  /** Folders steps appended to GITHUB_PATH, newest first. */
  path: string[];
  steps: Record<string, Value>;
  failed: boolean;
  /** The run was cancelled while this leg ran: later steps run only when their if: holds with cancelled(). */
  cancelled: boolean;
  /** The step running now, and how to stop its process. */
  running?: { step: LoadedStep; stop: AbortController };
  /** Epoch milliseconds at which the job's timeout-minutes runs out. */
  deadline: number;
  summary: string[];
}

export function newLegFolders(): { workspace: string; runnerTemp: string } {
  return {
    workspace: mkdtempSync(join(tmpdir(), 'workflow-workspace-')),
    runnerTemp: mkdtempSync(join(tmpdir(), 'workflow-runner-temp-')),
  };
}

/** The scope expressions of the current step are evaluated in. */
export function stepScope(state: LegState, env: Record<string, string> = state.env): Scope {
  return {
    contexts: {
      ...state.contexts,
      env,
      steps: state.steps,
      job: { status: state.cancelled ? 'cancelled' : state.failed ? 'failure' : 'success' },
    },
    // As in GitHub's runner, a cancelled job's status is cancelled: neither success() nor failure() holds.
    status: {
      success: !state.failed && !state.cancelled,
      failure: state.failed && !state.cancelled,
      cancelled: state.cancelled,
    },
  };
}

/** The files a step writes its outputs, env, path and summary to, as the runner hands them over. */
export interface CommandFiles {
  output: string;
  env: string;
  path: string;
  summary: string;
}

export function newCommandFiles(state: LegState): CommandFiles {
  const dir = mkdtempSync(join(state.runnerTemp, 'step-'));
  const files = {
    output: join(dir, 'output'),
    env: join(dir, 'env'),
    path: join(dir, 'path'),
    summary: join(dir, 'summary'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  return files;
}

/** Takes in what a finished step appended to GITHUB_ENV, GITHUB_PATH and GITHUB_STEP_SUMMARY. */
export function absorbCommandFiles(state: LegState, files: CommandFiles, summary?: string): void {
  Object.assign(state.env, parseOutputFile(readFileSync(files.env, 'utf8')));
  const added = readFileSync(files.path, 'utf8').split('\n').filter(Boolean);
  state.path.unshift(...added.reverse());
  const text = summary ?? (existsSync(files.summary) ? readFileSync(files.summary, 'utf8') : '');
  if (text) state.summary.push(text);
}

/** The process environment of a step: the runner's GITHUB_* variables, then workflow, job and step env. */
export function processEnv(
  state: LegState,
  stepEnv: Record<string, string>,
  files: CommandFiles,
): Record<string, string> {
  const github = state.contexts.github as Record<string, string>;
  return {
    PATH: [...state.path, process.env.PATH ?? ''].join(delimiter),
    HOME: process.env.HOME ?? state.runnerTemp,
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: state.workspace,
    GITHUB_EVENT_NAME: github.event_name ?? '',
    GITHUB_EVENT_PATH: github.event_path ?? '',
    GITHUB_REPOSITORY: github.repository ?? '',
    GITHUB_REPOSITORY_OWNER: github.repository_owner ?? '',
    GITHUB_SHA: github.sha ?? '',
    GITHUB_REF: github.ref ?? '',
    GITHUB_REF_NAME: github.ref_name ?? '',
    GITHUB_RUN_ID: github.run_id ?? '',
    GITHUB_RUN_NUMBER: github.run_number ?? '',
    GITHUB_RUN_ATTEMPT: github.run_attempt ?? '1',
    GITHUB_JOB: github.job ?? '',
    GITHUB_ACTOR: github.actor ?? '',
    GITHUB_WORKFLOW: github.workflow ?? '',
    GITHUB_SERVER_URL: github.server_url ?? '',
    GITHUB_API_URL: github.api_url ?? '',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: state.runnerTemp,
    GITHUB_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STEP_SUMMARY: files.summary,
    ...state.run.options.env,
    ...state.env,
    ...stepEnv,
  };
}
