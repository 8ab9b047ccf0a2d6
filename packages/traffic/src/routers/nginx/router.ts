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
import { fetchRevision, waitForRevision } from './probe';
import { digestFromNginxConfig, renderNginxConfig, splitFromNginxConfig } from './render';

/**
 * Routes with an nginx include file. Apply writes the file atomically, has nginx test it, reloads, and waits
 * until the workers answer with the new revision. Any failure puts the previous file back byte for byte (or
 * removes it when there was none), so traffic stays as it was, and reports nginx's own words.
 */
export function createNginxRouter(config: NginxRouterConfig, context: RouterContext): Router {
  const path = resolve(context.workspace, config.path);

  return {
    description: `nginx ${path} (upstream ${config.upstream})`,
    lockTarget: `nginx:${path}`,
    credentials: [],
    // The include nginx last loaded successfully: apply() restores it on any failure, so it is what serves.
    async observe() {
      return existsSync(path) ? splitFromNginxConfig(readFileSync(path, 'utf8')) : undefined;
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
        const before = existsSync(path) ? readFileSync(path) : undefined;
        const beforeText = before?.toString('utf8');
        const previous = beforeText === undefined ? undefined : splitFromNginxConfig(beforeText);
        if (!sameSplit(previous, expected)) throw new SplitConflictError(path, expected, previous);
        if (beforeText !== undefined && digestFromNginxConfig(beforeText) === rendered.digest) {
          return { previous, changed: false };
        }

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
        return { previous, changed: true };
      });
    },
  };
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
