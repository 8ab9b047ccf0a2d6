import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  ConfigError,
  describeZodError,
  lazily,
  type ShellExec,
  type ShellExecResult,
  UserFacingError,
} from '@recsys-actions/core';
import { applyOverObserved } from '../precondition';
import type { Router, RouterBackend, RouterContext } from '../router';
import { describeSplit, sameSplit, splitSchema, type Split } from '../split';

export const commandRouterConfigSchema = lazily(() =>
  z.strictObject({
    /** Puts the split in RECSYS_SPLIT (and the file RECSYS_SPLIT_FILE) in force; exits non-zero when it could not. */
    'apply-command': z.string().trim().min(1),
    /** Prints the split serving now as JSON (`null` or nothing when never routed). */
    'observe-command': z.string().trim().min(1),
    /**
     * Names what the commands route (e.g. `lb/recsys-production`): two runs routing the same target share a
     * lock. Defaults to the apply-command and the environment.
     */
    target: z.string().trim().min(1).optional(),
  }),
);
export type CommandRouterConfig = z.infer<ReturnType<typeof commandRouterConfigSchema>>;

const EXAMPLE = "{ apply-command: './deploy/set-split.sh', observe-command: './deploy/get-split.sh' }";

/**
 * The escape hatch for any platform without a router of its own: two scripts of the user's, run through the
 * host's exec function. The split they receive and print is the suite's own JSON shape, so they only translate.
 */
export function createCommandRouter(config: CommandRouterConfig, context: RouterContext): Router {
  const exec = context.exec;
  if (exec === undefined) {
    throw new ConfigError('config', "for router 'command' needs a host that runs commands", EXAMPLE);
  }
  const target = config.target ?? `${context.environment}:${config['apply-command']}`;
  const scripts = commandScripts(config, context.environment, exec);
  const router: Router = {
    description: `command ${config.target ?? config['apply-command']}`,
    lockTarget: `command:${target}`,
    credentials: [],
    async check() {},
    observe: scripts.observe,
    async apply(split, { expected }) {
      const previous = await scripts.observe();
      return applyOverObserved(target, previous, split, expected, async () => {
        try {
          await scripts.apply(split);
        } catch (error) {
          await putBack(scripts, previous, error as Error);
        }
      });
    },
    async verify(split) {
      const serving = await scripts.observe();
      if (!sameSplit(serving, split)) {
        throw new UserFacingError(
          `The observe-command reports ${serving ? describeSplit(serving) : 'no split'} after the apply-command ` +
            `put ${describeSplit(split)} in force; the two scripts disagree, or something else moved traffic.`,
        );
      }
    },
  };
  return router;
}

interface CommandScripts {
  observe(): Promise<Split | undefined>;
  apply(split: Split): Promise<void>;
}

function commandScripts(config: CommandRouterConfig, environment: string, exec: ShellExec): CommandScripts {
  return {
    async observe() {
      const label = `observe-command (${environment})`;
      const result = await exec(config['observe-command'], {
        env: { RECSYS_ENVIRONMENT: environment },
        label,
        captureStdout: true,
      });
      requireSuccess('observe-command', result);
      return parseObserved(result.stdout ?? '');
    },
    async apply(split) {
      const folder = mkdtempSync(join(tmpdir(), 'recsys-split-'));
      const file = join(folder, 'split.json');
      const json = JSON.stringify(split);
      writeFileSync(file, `${json}\n`);
      try {
        const result = await exec(config['apply-command'], {
          env: {
            RECSYS_ENVIRONMENT: environment,
            RECSYS_SPLIT: json,
            RECSYS_SPLIT_FILE: file,
          },
          label: `apply-command (${environment}: ${describeSplit(split)})`,
        });
        requireSuccess('apply-command', result);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}

function requireSuccess(script: string, { exitCode }: ShellExecResult): void {
  if (exitCode !== 0) throw new UserFacingError(`The router's ${script} exited with code ${exitCode}.`);
}

/** What observe-command printed: a split, or `null`/nothing for "never routed". */
function parseObserved(stdout: string): Split | undefined {
  const text = stdout.trim();
  if (text === '' || text === 'null') return undefined;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new UserFacingError(
      `The router's observe-command printed ${JSON.stringify(text.slice(0, 200))}, not JSON; it must print ` +
        `the split serving now, e.g. ${SPLIT_EXAMPLE}, or null when nothing was routed yet.`,
    );
  }
  const parsed = splitSchema().safeParse(document);
  if (!parsed.success) {
    throw new UserFacingError(
      `The router's observe-command printed a split that ${describeZodError(parsed.error)}; it must print ` +
        `e.g. ${SPLIT_EXAMPLE}.`,
    );
  }
  return parsed.data;
}

const SPLIT_EXAMPLE =
  '{"targets":[{"version":"v1","weight":90},{"version":"v2","weight":10}],"stickiness":"request"}';

/**
 * A failed apply-command may have moved part of the traffic. It is run again with the split that served
 * before, so the step fails with the previous split in force; the error says whether that worked.
 */
async function putBack(scripts: CommandScripts, previous: Split | undefined, failure: Error): Promise<never> {
  const now = await scripts.observe().catch(() => 'unknown' as const);
  if (now !== 'unknown' && sameSplit(now, previous)) {
    throw new UserFacingError(`${failure.message} Nothing was changed: it still serves ${show(previous)}.`);
  }
  if (previous === undefined) {
    throw new UserFacingError(
      `${failure.message} Nothing routed before, so nothing was put back; check what the platform serves.`,
    );
  }
  try {
    await scripts.apply(previous);
  } catch (error) {
    throw new UserFacingError(
      `${failure.message} Putting ${show(previous)} back failed too (${(error as Error).message}); check what ` +
        'the platform serves before re-running the step.',
    );
  }
  throw new UserFacingError(`${failure.message} ${show(previous)} was put back.`);
}

function show(split: Split | undefined): string {
  return split === undefined ? 'no split' : describeSplit(split);
}

/** The router for any platform, as registered under `command`. */
export const commandRouterBackend: RouterBackend<CommandRouterConfig> = {
  type: 'command',
  get configSchema() {
    return commandRouterConfigSchema();
  },
  example: EXAMPLE,
  create: createCommandRouter,
};
