import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { repoRoot, runnerNodeBinary } from './repo';

export interface RunActionOptions {
  /** The action's folder name under actions/. */
  action: string;
  /** The action's folder when it is not actions/<action> of this checkout, e.g. inside a workflow's workspace. */
  actionDir?: string;
  inputs?: Record<string, string | number | boolean>;
  /** Extra environment, e.g. GITHUB_API_URL of an emulator. */
  env?: Record<string, string>;
  /** GITHUB_WORKSPACE; a fresh temporary folder when omitted. */
  workspace?: string;
  event?: { name: string; payload?: Record<string, unknown> };
  repository?: string;
  sha?: string;
  /** The value of `${{ github.token }}` in input defaults. */
  token?: string;
  /**
   * SIGKILLs the action after this long, as a runner losing its machine would; with `wrap`, the wrapper and the
   * action together.
   */
  timeoutMs?: number;
  /**
   * A command the action runs under, e.g. `['strace', '-f', '-e', 'inject=…', '--']`: the node binary and the
   * action's entry point are appended to it. For faults injected from outside the process.
   */
  wrap?: string[];
  /** Stops the action as GitHub's runner stops a cancelled step: SIGINT, then SIGTERM, then SIGKILL. */
  signal?: AbortSignal;
}

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Messages of `::error::` lines, in order. */
  errors: string[];
  warnings: string[];
  workspace: string;
  runnerTemp: string;
  /** From the action's start to its end (or its kill), for fault sweeps that aim kills inside a run. */
  durationMs: number;
}

export interface ActionManifest {
  runs: { using: string; main: string };
  inputs?: Record<string, { default?: string | number | boolean; required?: boolean }>;
}

export function readActionManifest(
  action: string,
  actionDir = join(repoRoot(), 'actions', action),
): ActionManifest {
  return parseYaml(readFileSync(join(actionDir, 'action.yml'), 'utf8')) as ActionManifest;
}

/**
 * Runs an action's built `dist/` in a child process set up as GitHub's runner does: INPUT_* variables (with
 * action.yml defaults applied), the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the event payload file and
 * the usual GITHUB_* variables. Asynchronous, so emulators in the test process keep serving while it runs.
 */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const actionDir = options.actionDir ?? join(repoRoot(), 'actions', options.action);
  const manifest = readActionManifest(options.action, actionDir);
  const scratch = mkdtempSync(join(tmpdir(), `runner-${options.action}-`));
  const workspace = options.workspace ?? mkdtempSync(join(tmpdir(), 'workspace-'));
  const files = {
    output: join(scratch, 'output'),
    summary: join(scratch, 'summary'),
    event: join(scratch, 'event.json'),
  };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.event, JSON.stringify(options.event?.payload ?? {}));

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? scratch,
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_EVENT_NAME: options.event?.name ?? 'push',
    GITHUB_REPOSITORY: options.repository ?? 'octo-org/recsys',
    GITHUB_REPOSITORY_OWNER: (options.repository ?? 'octo-org/recsys').split('/')[0] ?? '',
    GITHUB_SHA: options.sha ?? 'ffac537e6cbbf934b08745a378932722df287a53',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'release',
    GITHUB_ACTION: `__${options.action}`,
    GITHUB_ACTOR: 'octocat',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.invalid',
    RUNNER_TEMP: scratch,
    ...inputEnvironment(manifest, options.inputs ?? {}, options.token ?? ''),
    ...options.env,
  };

  const { exitCode, stdout, stderr, durationMs } = await runChild(
    [...(options.wrap ?? []), runnerNodeBinary(), join(actionDir, manifest.runs.main)],
    { cwd: workspace, env, detached: options.wrap !== undefined },
    options.timeoutMs ?? 120_000,
    options.signal,
  );

  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
    summary: existsSync(files.summary) ? readFileSync(files.summary, 'utf8') : '',
    errors: commandMessages(stdout, 'error'),
    warnings: commandMessages(stdout, 'warning'),
    workspace,
    runnerTemp: scratch,
    durationMs,
  };
}

/**
 * Runs argv to its end, or SIGKILLs it after `timeoutMs`, or stops it on abort. A `detached` child (a wrapped
 * action) gets those signals as its whole process group, so the wrapper and the action stop together: signalled
 * alone, strace detaches and the action it traced runs on to its end. An action run bare is signalled alone, as
 * the fault sweeps were written against: a shell command it started finishes as an orphan.
 */
async function runChild(
  [command = '', ...args]: string[],
  options: { cwd: string; env: Record<string, string>; detached: boolean },
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ exitCode: number; stdout: string; stderr: string; durationMs: number }> {
  const started = performance.now();
  const child = spawn(command, args, options);
  const send = (name: NodeJS.Signals) => (options.detached ? signalGroup(child.pid, name) : child.kill(name));
  const stopped = stopOnAbort(signal, send);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timeout = setTimeout(() => send('SIGKILL'), timeoutMs);
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  clearTimeout(timeout);
  stopped();
  return { exitCode, stdout, stderr, durationMs: Math.round(performance.now() - started) };
}

function signalGroup(pid: number | undefined, name: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, name);
  } catch {
    // The group ended before the signal was sent.
  }
}

/** How long GitHub's runner waits after SIGINT before SIGTERM, and after SIGTERM before it kills the tree. */
const cancelGraceMs = { interrupt: 7_500, terminate: 2_500 };

/**
 * When `signal` aborts, stops a process as GitHub's runner stops a cancelled step: SIGINT, SIGTERM after
 * 7.5 s, SIGKILL 2.5 s later. `kill` sends one signal (to a process or its group). Call the returned
 * function once the process has ended, so no late signal reaches a reused pid.
 */
export function stopOnAbort(
  signal: AbortSignal | undefined,
  kill: (name: NodeJS.Signals) => void,
): () => void {
  const timers: NodeJS.Timeout[] = [];
  const send = (name: NodeJS.Signals) => {
    try {
      kill(name);
    } catch {
      // The process ended between the abort and this signal.
    }
  };
  const stop = () => {
    send('SIGINT');
    timers.push(setTimeout(() => send('SIGTERM'), cancelGraceMs.interrupt));
    timers.push(setTimeout(() => send('SIGKILL'), cancelGraceMs.interrupt + cancelGraceMs.terminate));
  };
  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });
  return () => {
    signal?.removeEventListener('abort', stop);
    for (const timer of timers) clearTimeout(timer);
  };
}

/** INPUT_<NAME> as the runner names it: upper case, spaces to underscores, hyphens kept. */
export function inputVariableName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

function inputEnvironment(
  manifest: ActionManifest,
  given: Record<string, string | number | boolean>,
  token: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(actionInputs(manifest, given, token)))
    env[inputVariableName(name)] = value;
  return env;
}

/**
 * The inputs as the runner hands them to the action: action.yml's defaults (with `${{ github.token }}` set to
 * `token`) overridden by the given values. An input that action.yml does not declare is a test mistake.
 */
export function actionInputs(
  manifest: ActionManifest,
  given: Record<string, string | number | boolean>,
  token: string,
): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const [name, declaration] of Object.entries(manifest.inputs ?? {})) {
    if (declaration.default === undefined) continue;
    inputs[name] = evaluateDefault(String(declaration.default), token);
  }
  for (const [name, value] of Object.entries(given)) {
    if (!(name in (manifest.inputs ?? {}))) throw new Error(`action.yml declares no input '${name}'`);
    inputs[name] = String(value);
  }
  return inputs;
}

function evaluateDefault(value: string, token: string): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    if (expression === 'github.token') return token;
    throw new Error(`the runner emulation cannot evaluate \${{ ${expression} }}`);
  });
}

/** Parses GITHUB_OUTPUT in both of its forms: `name=value` and `name<<DELIMITER` heredocs. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const value: string[] = [];
      for (i += 1; i < lines.length && lines[i] !== delimiter; i += 1) value.push(lines[i] ?? '');
      outputs[name] = value.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      outputs[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return outputs;
}

/** The messages of `::error::` or `::warning::` workflow commands in an output, decoded. */
export function commandMessages(stdout: string, command: 'error' | 'warning'): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(`::${command}`))
    .map((line) => decodeCommandData(line.slice(line.indexOf('::', 2) + 2)));
}

function decodeCommandData(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
