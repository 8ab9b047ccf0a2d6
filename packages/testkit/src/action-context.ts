import { tmpdir } from 'node:os';
import { oneLine, stampReport, type ActionName, type Report } from '@recsys-actions/core';
// Type-only: the fake must not load the runner glue (and @actions/core) that it stands in for.
import type {
  ActionContext,
  Octokit,
  OutputValue,
  PublishOptions,
  RunContext,
} from '@recsys-actions/runtime';
import { actionInputs, readActionManifest } from './runner';

export interface FakeContextOptions {
  /** Inputs as a workflow's `with:` would give them; action.yml's defaults fill the rest. */
  inputs?: Record<string, string | number | boolean>;
  /** The value of `${{ github.token }}` in input defaults. */
  token?: string;
  /** Overrides of the run; the workspace defaults to the OS temp folder, the event to a push. */
  run?: Partial<RunContext>;
  /** A client for `ctx.github(token)`, e.g. one pointed at the GitHub emulator; without it the call throws. */
  github?: (token: string) => Octokit;
  /** Runs `ctx.exec` scripts; without it the call throws. */
  exec?: ActionContext['exec'];
}

export interface PublishedReport {
  report: Report;
  options: PublishOptions;
}

/** An ActionContext that keeps everything in memory, plus what the body did with it. */
export interface FakeActionContext<A extends ActionName = ActionName> extends ActionContext<A> {
  /** Outputs by name, as the runner would store them: objects as JSON, everything else as text. */
  readonly outputs: Record<string, string>;
  readonly masked: string[];
  readonly infos: string[];
  readonly warnings: string[];
  readonly published: PublishedReport[];
}

/**
 * A fake of the runner for fast in-process tests of an action body. Reports go through the suite's schema,
 * as the real context's do, so a body that builds an invalid report fails here too; nothing is written.
 */
export function fakeActionContext<A extends ActionName>(
  action: A,
  options: FakeContextOptions = {},
): FakeActionContext<A> {
  const inputs = actionInputs(readActionManifest(action), options.inputs ?? {}, options.token ?? '');
  const run: RunContext = {
    workspace: tmpdir(),
    eventName: 'push',
    event: {},
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    ...options.run,
  };
  const startedAt = new Date();
  const outputs: Record<string, string> = {};
  const setOutputs = (values: Record<string, OutputValue>) => {
    for (const [name, value] of Object.entries(values))
      if (value !== undefined)
        outputs[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  };
  const fake: FakeActionContext<A> = {
    action,
    run,
    startedAt,
    read: (name) => inputs[name] ?? '',
    setOutputs,
    outputs,
    masked: [],
    infos: [],
    warnings: [],
    published: [],
    mask: (secret) => {
      if (secret) fake.masked.push(secret);
    },
    info: (message) => fake.infos.push(message),
    group: (_title, body) => body(),
    warning: (message) => fake.warnings.push(oneLine(message)),
    github: async (token) => {
      if (!options.github) throw new Error('fakeActionContext was given no github client factory');
      return options.github(token);
    },
    exec: (command, execOptions) => {
      if (!options.exec) throw new Error('fakeActionContext was given no exec function');
      return options.exec(command, execOptions);
    },
    async publish(fields, publishOptions = {}) {
      const report = stampReport(action, fields, { startedAt, links: {} });
      setOutputs({ report: JSON.stringify(report) });
      fake.published.push({ report, options: publishOptions });
      return report;
    },
  };
  return fake;
}
