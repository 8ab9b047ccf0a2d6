import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { DataError, describeZodError, lazily, UserFacingError, writeFileAtomic } from '@recsys-actions/core';
import { withLock } from '../lock';
import { routerWorkspacePath } from './workspace-path';
import { applyOverObserved } from '../precondition';
import type { Router, RouterBackend, RouterContext } from '../router';
import { describeSplit, sameSplit, splitSchema } from '../split';

export const fileRouterConfigSchema = lazily(() =>
  z
    .object({
      /** Relative to the workspace; `{environment}` is replaced by the environment name. */
      path: z.string().min(1).default('traffic/{environment}.json'),
    })
    .strict(),
);
export type FileRouterConfig = z.infer<ReturnType<typeof fileRouterConfigSchema>>;

const trafficFileSchema = lazily(() =>
  z.object({
    environment: z.string(),
    revision: z.number().int().min(1),
    updatedAt: z.string(),
    split: splitSchema(),
  }),
);
/** The document a GitOps controller (or the serving code itself) reads to route traffic. */
export type TrafficFile = z.infer<ReturnType<typeof trafficFileSchema>>;

/**
 * The GitOps router: the split lives in a JSON file in the repository; whatever serves the model reads it (or a
 * controller syncs it). `revision` only moves when the split does, so watchers can key on it.
 */
export function createFileRouter(
  config: FileRouterConfig,
  context: RouterContext,
  now: () => Date = () => new Date(),
): Router {
  const relativePath = config.path.replaceAll('{environment}', context.environment);
  const path = routerWorkspacePath(
    'file',
    relativePath,
    context.workspace,
    '{ path: traffic/production.json }',
  );
  const load = (): TrafficFile | undefined =>
    existsSync(path) ? readTrafficFile(path, relativePath) : undefined;

  return {
    description: `file ${relativePath}`,
    lockTarget: `file:${path}`,
    credentials: [],
    workspaceFiles: [relativePath],
    // Any split fits a file; a damaged one is found here, before a step journals its intent.
    async check() {
      load();
    },
    async observe() {
      return load()?.split;
    },
    async apply(split, { expected }) {
      return withLock(`${path}.lock`, async () => {
        const current = load();
        return applyOverObserved(relativePath, current?.split, split, expected, async () => {
          const next: TrafficFile = {
            environment: context.environment,
            revision: (current?.revision ?? 0) + 1,
            updatedAt: now().toISOString(),
            split,
          };
          writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`);
        });
      });
    },
    async verify(split) {
      const serving = load()?.split;
      if (!sameSplit(serving, split)) {
        throw new UserFacingError(
          `${relativePath} does not hold ${describeSplit(split)} after the change, but ` +
            `${serving ? describeSplit(serving) : 'no split'}; something else writes this file.`,
        );
      }
    },
  };
}

/** The GitOps router, as registered under `file`. */
export const fileRouterBackend: RouterBackend<FileRouterConfig> = {
  type: 'file',
  get configSchema() {
    return fileRouterConfigSchema();
  },
  example: '{ path: traffic/production.json }',
  create: (config, context) => createFileRouter(config, context),
};

export function readTrafficFile(path: string, shownAs: string): TrafficFile {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new DataError(shownAs, `is not valid JSON (${(error as Error).message})`);
  }
  const parsed = trafficFileSchema().safeParse(document);
  if (!parsed.success)
    throw new DataError(shownAs, `is not a traffic file: ${describeZodError(parsed.error)}`);
  return parsed.data;
}
