import { accessSync, constants, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, UserFacingError, writeFileAtomic } from '@recsys-actions/core';
import { withLock } from '../../lock';
import {
  SplitConflictError,
  type ApplyOptions,
  type ApplyResult,
  type Router,
  type RouterBackend,
  type RouterContext,
} from '../../router';
import { describeSplit, sameSplit, type Split } from '../../split';
import { runCommand, toArgv } from './commands';
import { nginxRouterConfigSchema, type NginxRouterConfig } from './config';
import { keepServedCopy, observeLive } from './live';
import { fetchRevision, waitForRevision } from './probe';
import { digestFromNginxConfig, renderNginxConfig, type RenderedNginxConfig } from './render';

/**
 * Routes with an nginx include file. Observe asks the live probe which routing the workers serve. Apply writes
 * the file atomically, has nginx test it, reloads, and waits until the workers answer with the new revision. Any
 * failure puts the previous file back byte for byte (or removes it when there was none), so traffic stays as it
 * was, and reports nginx's own words.
 */
export function createNginxRouter(config: NginxRouterConfig, context: RouterContext): Router {
  const path = resolve(context.workspace, config.path);

  return {
    description: `nginx ${path} (upstream ${config.upstream})`,
    lockTarget: `nginx:${path}`,
    credentials: [],
    async observe() {
      return (await observeLive(path, config)).split;
    },
    async verify(split: Split) {
      const { digest } = renderNginxConfig(split, config);
      const served = await fetchRevision(config.probeListen);
      if (!served?.startsWith(`${digest}-`)) {
        throw new UserFacingError(
          `nginx does not serve ${describeSplit(split)}: the probe on ${config.probeListen} answered ` +
            `${served === undefined ? 'nothing' : `revision ${served}`} instead of one starting ${digest}.`,
        );
      }
    },
    async apply(split: Split, { expected }: ApplyOptions): Promise<ApplyResult> {
      const rendered = renderNginxConfig(split, config);
      checkWritable(path);
      return withLock(`${path}.lock`, async () => {
        // Judged by what the workers serve, not by the include: a run stopped before its reload leaves them apart.
        const live = await observeLive(path, config);
        const previous = live.split;
        if (!sameSplit(previous, expected)) throw new SplitConflictError(path, expected, previous);
        const before = existsSync(path) ? readFileSync(path) : undefined;
        if (live.digest === rendered.digest) {
          // Traffic is already right; only an include that drifted ahead of nginx is put back in line.
          if (before === undefined || digestFromNginxConfig(before.toString('utf8')) !== rendered.digest) {
            writeFileAtomic(path, rendered.text);
          }
          return { previous, changed: false };
        }
        await serve(path, rendered, before, config);
        return { previous, changed: true };
      });
    },
  };
}

/**
 * Writes, tests and reloads `rendered`, then waits for the workers to answer its revision. On any failure the
 * previous bytes go back (or the file goes away) so traffic stays as it was; on success the served copy is kept.
 */
async function serve(
  path: string,
  rendered: RenderedNginxConfig,
  before: Buffer | undefined,
  config: NginxRouterConfig,
): Promise<void> {
  const restore = () =>
    before === undefined ? rmSync(path, { force: true }) : writeFileAtomic(path, before);
  writeFileAtomic(path, rendered.text);

  const tested = await runCommand(config.testCommand);
  if (!tested.ok) {
    restore();
    throw failure('rejected the new traffic config', config.testCommand, tested.message);
  }
  const reloaded = await runCommand(config.reloadCommand);
  if (!reloaded.ok) {
    restore();
    throw failure('could not be reloaded', config.reloadCommand, reloaded.message);
  }
  if (!(await waitForRevision(config.probeListen, rendered.revision, config.reloadTimeoutMs))) {
    restore();
    // The master may have loaded the new file after all (only the probe failed): reload the old one.
    const recovered = await runCommand(config.reloadCommand);
    throw new UserFacingError(
      `nginx did not serve the new traffic config within ${config.reloadTimeoutMs} ms ` +
        `(no answer with revision ${rendered.revision} on ${config.probeListen}); check nginx's error log, ` +
        `that ${path} is included inside the http block and that ${config.probeListen} is free. ` +
        `The previous config was restored${recovered.ok ? ' and reloaded' : ` but reloading it failed: ${recovered.message}`}.`,
    );
  }
  keepServedCopy(path, rendered.text);
}

/** The nginx router, as registered under `nginx`. */
export const nginxRouterBackend: RouterBackend<NginxRouterConfig> = {
  type: 'nginx',
  configSchema: nginxRouterConfigSchema,
  example: '{ path: /etc/nginx/conf.d/recsys-traffic.conf, servers: { v1: ["127.0.0.1:8081"] } }',
  create: createNginxRouter,
};

function failure(what: string, command: NginxRouterConfig['testCommand'], message: string): UserFacingError {
  return new UserFacingError(
    `nginx ${what} ('${toArgv(command).join(' ')}'), so the previous config stays in force: ${message}`,
  );
}

/** Atomic writes rename a sibling into place, so it is the directory that must be writable. */
function checkWritable(path: string): void {
  const directory = dirname(path);
  try {
    if (!statSync(directory).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    accessSync(directory, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConfigError(
      'config',
      `for router 'nginx': cannot write the traffic config ${path} (${code} on ${directory}); ` +
        'point path at a writable file nginx includes, e.g. path: /etc/nginx/conf.d/recsys-traffic.conf. Nothing was changed.',
    );
  }
}
