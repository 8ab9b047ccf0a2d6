import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, UserFacingError } from '@recsys-actions/core';
import { withLock } from '../../lock';
import { refuseUnexpected } from '../../precondition';
import type { Router, RouterBackend, RouterContext } from '../../router';
import { describeSplit } from '../../split';
import { runCommand, toArgv } from './commands';
import { nginxRouterConfigSchema, type NginxRouterConfig } from './config';
import { removeKeepingLink, writeKeepingAttributes, writeTarget } from './include-file';
import { keepServedCopy, observeLive, type LiveSplit } from './live';
import { fetchRevision, waitForRevision } from './probe';
import { renderNginxConfig, type RenderedNginxConfig } from './render';

/**
 * Routes with an nginx include file. Observe asks the live probe which routing the workers serve. Apply writes
 * the file atomically (through a symlink, keeping mode and owner), has nginx test it, reloads, and waits until
 * the workers answer with the new revision. Any failure puts the served config back byte for byte (or removes
 * the file when there was none), so traffic stays as it was, and reports nginx's own words.
 */
export function createNginxRouter(config: NginxRouterConfig, context: RouterContext): Router {
  const path = resolve(context.workspace, config.path);

  return {
    description: `nginx ${path} (upstream ${config.upstream})`,
    lockTarget: `nginx:${path}`,
    credentials: [],
    canMirror: true,
    async observe() {
      return (await observeLive(path, config)).split;
    },
    async verify(split) {
      const { digest } = renderNginxConfig(split, config);
      const served = await fetchRevision(config.probeListen);
      if (!served?.startsWith(`${digest}-`)) {
        throw new UserFacingError(
          `nginx does not serve ${describeSplit(split)}: the probe on ${config.probeListen} answered ` +
            `${served === undefined ? 'nothing' : `revision ${served}`} instead of one starting ${digest}.`,
        );
      }
    },
    async check(split) {
      renderNginxConfig(split, config);
      checkWritable(path);
    },
    async apply(split, { expected }) {
      const rendered = renderNginxConfig(split, config);
      checkWritable(path);
      return withLock(`${path}.lock`, async () => {
        // Judged by what the workers serve, not by the include: a run stopped before its reload leaves them apart.
        const live = await observeLive(path, config);
        const previous = live.split;
        refuseUnexpected(path, previous, expected);
        if (live.digest === rendered.digest) {
          // Traffic is already right. An include nginx does not serve (left by a run that died before its
          // reload, perhaps never passed by nginx -t) gets the served bytes back, so file and workers agree.
          if (!live.includeAgrees && live.servedText !== undefined) {
            writeKeepingAttributes(path, live.servedText);
          }
          return { previous, changed: false };
        }
        await serve(path, rendered, live, config);
        return { previous, changed: true };
      });
    },
  };
}

/**
 * Writes, tests and reloads `rendered`, then waits for the workers to answer its revision. The served config is
 * kept beside the include before the include is touched, so a run that dies half-way leaves the next one what
 * nginx serves. On any failure the served bytes go back (or the file goes away) so traffic stays as it was; on
 * success the new config becomes the kept copy.
 */
async function serve(
  path: string,
  rendered: RenderedNginxConfig,
  live: LiveSplit,
  config: NginxRouterConfig,
): Promise<void> {
  const served = live.servedText;
  if (served !== undefined) keepServedCopy(path, served);
  const restore = () =>
    served === undefined ? removeKeepingLink(path) : writeKeepingAttributes(path, served);
  const restored = restoredNote(path, live);
  writeKeepingAttributes(path, rendered.text);

  const tested = await runCommand(config.testCommand);
  if (!tested.ok) {
    restore();
    throw failure('rejected the new traffic config', config.testCommand, tested.message, restored);
  }
  const reloaded = await runCommand(config.reloadCommand);
  if (!reloaded.ok) {
    restore();
    throw failure('could not be reloaded', config.reloadCommand, reloaded.message, restored);
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
  get configSchema() {
    return nginxRouterConfigSchema();
  },
  example: '{ path: /etc/nginx/conf.d/recsys-traffic.conf, servers: { v1: ["127.0.0.1:8081"] } }',
  create: createNginxRouter,
};

/** What a failed apply left behind, for its error. */
function restoredNote(path: string, live: LiveSplit): string {
  if (live.servedText === undefined) return `the new ${path} was removed again, as nothing was routed before`;
  const split = live.split === undefined ? '' : ` (${describeSplit(live.split)})`;
  return `${path} holds the config nginx serves again${split}`;
}

function failure(
  what: string,
  command: NginxRouterConfig['testCommand'],
  message: string,
  restored: string,
): UserFacingError {
  return new UserFacingError(
    `nginx ${what} ('${toArgv(command).join(' ')}': ${message}), so nothing was changed: ${restored}.`,
  );
}

/**
 * Atomic writes rename a sibling into place, so it is the directory that must be writable: the symlink
 * target's, and the include's own for the lock and the kept copy.
 */
function checkWritable(path: string): void {
  for (const directory of new Set([dirname(path), dirname(writeTarget(path))])) {
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
}
