import { existsSync, readFileSync } from 'node:fs';
import { UserFacingError } from '@recsys-actions/core';
import type { Split } from '../../split';
import type { NginxRouterConfig } from './config';
import { attributesOf, writeKeepingAttributes } from './include-file';
import { fetchRevision } from './probe';
import { digestFromNginxConfig, splitFromNginxConfig } from './render';

/** What the live nginx serves: its split, the routing digest its probe answers and the file that says so. */
export interface LiveSplit {
  split: Split | undefined;
  digest: string | undefined;
  /** The config nginx serves, byte for byte: the include's, or the kept copy's; undefined when never routed. */
  servedText: string | undefined;
  /** False when the include on disk is not what nginx serves, e.g. left by a run stopped before its reload. */
  includeAgrees: boolean;
}

/** The include exists, so nginx should serve its probe, but nothing answers it. */
export class NginxUnreachableError extends UserFacingError {
  override name = 'NginxUnreachableError';
  constructor(
    readonly path: string,
    readonly probeListen: string,
  ) {
    super(
      `Cannot tell what nginx serves: nothing answers the traffic probe on ${probeListen}, which ${path} ` +
        'defines. Start nginx (or check that it includes that file inside http { }) and re-run the step.',
    );
  }
}

/** The include and the live nginx route differently, and no kept copy says what the live one is. */
export class NginxConfigDisagreementError extends UserFacingError {
  override name = 'NginxConfigDisagreementError';
  constructor(
    readonly path: string,
    readonly served: string,
  ) {
    super(
      `${path} and the live nginx disagree: the probe answers revision ${served}, which is neither that file's ` +
        'routing nor the last one this router served (a run stopped between writing the file and reloading, ' +
        "or someone edited it). Run 'nginx -t && nginx -s reload' to serve the file, or re-run the step.",
    );
  }
}

/**
 * The copy of the include that nginx last served after an apply. A run stopped between writing the include and
 * reloading leaves the include ahead of nginx; this copy still says which split the workers route.
 */
export function servedCopyPath(path: string): string {
  return `${path}.served`;
}

/** Keeps `text` as the served copy, with the include's mode and owner (it holds the same upstreams). */
export function keepServedCopy(path: string, text: string): void {
  const copy = servedCopyPath(path);
  if (readIfExists(copy) !== text) writeKeepingAttributes(copy, text, attributesOf(path));
}

/**
 * The split the live nginx serves, judged by its probe: the include's split when the probe answers that file's
 * digest, else the kept copy's when the probe answers that (the include is then not trusted: it may be a file
 * `nginx -t` never passed). Undefined split when there is no include and no probe (never routed); throws when
 * nginx does not answer or nothing known matches what it answers.
 */
export async function observeLive(
  path: string,
  config: Pick<NginxRouterConfig, 'probeListen'>,
): Promise<LiveSplit> {
  const served = await fetchRevision(config.probeListen);
  const include = readIfExists(path);
  if (served === undefined) {
    if (include === undefined) {
      return { split: undefined, digest: undefined, servedText: undefined, includeAgrees: true };
    }
    throw new NginxUnreachableError(path, config.probeListen);
  }
  for (const text of [include, readIfExists(servedCopyPath(path))]) {
    const digest = text === undefined ? undefined : digestFromNginxConfig(text);
    if (text !== undefined && digest !== undefined && served.startsWith(`${digest}-`)) {
      return { split: splitFromNginxConfig(text), digest, servedText: text, includeAgrees: text === include };
    }
  }
  throw new NginxConfigDisagreementError(path, served);
}

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}
