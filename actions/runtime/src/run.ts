import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import {
  oneLine,
  resolveWorkspaceOutput,
  UserFacingError,
  type ActionName,
  type InputReader,
  type ReportOf,
  type ReportFields,
} from '@recsys-actions/core';
import { readRunContext, type RunContext } from './context';
import {
  failStep,
  inGroup,
  logDebug,
  logInfo,
  logWarning,
  maskSecret,
  readInput,
  writeOutput,
} from './commands';
import { runShellCommand, type ExecCommand } from './exec';
import type { Octokit } from './github';

export type OutputValue = string | number | boolean | object | undefined;

export type { ReportFields };

export interface PublishOptions {
  /** Upsert the sticky PR comment with this token; skipped quietly when there is no PR. */
  comment?: { token: string; key: string; includeAssociatedPullRequests?: boolean };
}

/** Everything an action body needs from the runner, so that it never touches @actions/core directly. */
export interface ActionContext<A extends ActionName = ActionName> {
  readonly action: A;
  readonly run: RunContext;
  readonly startedAt: Date;
  readonly read: InputReader;
  setOutputs(outputs: Record<string, OutputValue>): void;
  mask(secret: string | undefined): void;
  info(message: string): void;
  /** Folds what `body` logs into a collapsed group, for logs of more than ten lines. */
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
  warning(message: string): void;
  /** An API client for the run's GitHub, loaded on first use: most runs never call GitHub, so none pays for it. */
  github(token: string): Promise<Octokit>;
  /** Runs a user's shell script (bash) in the workspace, its output folded into a log group; see exec.ts. */
  exec: ExecCommand;
  /** Stamps, validates and writes the report, the job summary and the optional PR comment. */
  publish(report: ReportFields<A>, options?: PublishOptions): Promise<ReportOf<A>>;
}

/**
 * Runs an action body with the suite's conventions: a user mistake becomes one `::error::` line naming the
 * problem and a non-zero exit; anything else is reported as a bug, with the stack trace only in debug logs.
 */
export async function runAction<A extends ActionName>(
  action: A,
  body: (context: ActionContext<A>) => Promise<void>,
): Promise<void> {
  const { context, reportPath } = createContext(action);
  // Paths are shown as the user wrote them, relative to the workspace, not as runner-specific absolute paths.
  const relativeToWorkspace = (message: string) => message.split(`${context.run.workspace}${sep}`).join('');
  try {
    // A report-path that cannot be written must fail before the body changes anything, not after.
    reportPath();
    await body(context);
  } catch (error) {
    if (error instanceof UserFacingError) {
      failStep(oneLine(relativeToWorkspace(error.message)));
    } else {
      const message = error instanceof Error ? error.message : String(error);
      logDebug(error instanceof Error && error.stack ? error.stack : message);
      failStep(oneLine(`${action} failed unexpectedly: ${relativeToWorkspace(message)}`));
    }
  }
}

function createContext<A extends ActionName>(
  action: A,
): { context: ActionContext<A>; reportPath: () => string } {
  const run = readRunContext();
  const startedAt = new Date();
  const read: InputReader = (name) => readInput(name);
  // Every action that talks to GitHub takes its token as `token`. Masked before the body runs, so an API error
  // that echoes the token (or a body that forgets to mask it) can never print it.
  const token = read('token');
  if (token) maskSecret(token);
  const setOutputs = (outputs: Record<string, OutputValue>) => {
    for (const [name, value] of Object.entries(outputs)) if (value !== undefined) writeOutput(name, value);
  };
  let resolvedReportPath: string | undefined;
  const reportPath = () => (resolvedReportPath ??= reportPathFor(action, read('report-path'), run));
  const context: ActionContext<A> = {
    action,
    run,
    startedAt,
    read,
    setOutputs,
    mask: (secret) => {
      if (secret) maskSecret(secret);
    },
    info: logInfo,
    group: (title, body) => inGroup(oneLine(title), body),
    warning: (message) => logWarning(oneLine(message)),
    github: async (token) => {
      if (token) maskSecret(token);
      return (await import('./github-client')).githubClient(token, run);
    },
    exec: runShellCommand(run.workspace),
    async publish(fields, options = {}) {
      // Stamping, validating and rendering a report needs the envelope's schemas and the Markdown renderers, which
      // a run that stops at a bad input never uses: they load here, after the body has done its work.
      const { publishReport } = await import('./publish');
      return publishReport({ action, run, startedAt, reportPath: reportPath(), setOutputs }, fields, options);
    },
  };
  return { context, reportPath };
}

function reportPathFor(action: ActionName, requested: string, run: RunContext): string {
  if (requested.trim()) {
    return resolveWorkspaceOutput('report-path', requested.trim(), run.workspace, `reports/${action}.json`);
  }
  return join(process.env.RUNNER_TEMP || tmpdir(), 'recsys-actions', `${action}-report.json`);
}
