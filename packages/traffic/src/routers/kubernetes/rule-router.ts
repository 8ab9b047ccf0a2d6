import { setTimeout as sleep } from 'node:timers/promises';
import { UserFacingError } from '@recsys-actions/core';
import { applyWithPrecondition, type GuardedRead } from '../../precondition';
import type { Router } from '../../router';
import { describeSplit, sameSplit, type Split } from '../../split';
import { ResourceVersionConflict, type JsonPatchOperation, type KubeObject } from './client';
import { notReadyBecause } from './conditions';
import {
  locateRule,
  planWeights,
  readSplit,
  requireBackends,
  type RuleSelection,
  type RuleShape,
} from './weighted-rule';

/**
 * Where the object lives: the API server (`api` mode) or a manifest in the repository (`git` mode). `write`
 * applies the patch only if the object is still at `version`, else throws {@link ResourceVersionConflict}.
 */
export interface RouteStore {
  readonly description: string;
  readonly lockTarget: string;
  readonly credentials: readonly string[];
  readonly workspaceFiles?: readonly string[];
  read(): Promise<{ object: KubeObject; version: string }>;
  write(operations: JsonPatchOperation[], version: string): Promise<void>;
  /** Whether verify waits for the controller's status conditions (only a live object has them). */
  readonly hasStatus: boolean;
}

export interface RuleRouterSettings {
  verifyTimeoutMs: number;
  pollMs?: number;
}

/** A router that keeps the split in the weights of one rule of a Kubernetes object, wherever it is stored. */
export function createRuleRouter<B>(
  shape: RuleShape<B>,
  selection: RuleSelection<B>,
  store: RouteStore,
  settings: RuleRouterSettings,
): Router {
  const observe = async () => readSplit((await store.read()).object, shape, selection);
  return {
    description: store.description,
    lockTarget: store.lockTarget,
    credentials: store.credentials,
    canMirror: shape.mirror !== undefined,
    ...(store.workspaceFiles ? { workspaceFiles: store.workspaceFiles } : {}),
    async check(split) {
      requireBackends(shape, selection, split);
      locateRule((await store.read()).object, shape, selection);
    },
    observe,
    async apply(split, { expected }) {
      requireBackends(shape, selection, split);
      return applyWithPrecondition(
        store.description,
        guardedRead(shape, selection, store, split),
        split,
        expected,
      );
    },
    verify: (split) => waitUntilServing(shape, selection, store, split, settings),
  };
}

/** Reads the object, and writes the planned weights only against the version read. */
function guardedRead<B>(shape: RuleShape<B>, selection: RuleSelection<B>, store: RouteStore, split: Split) {
  return async (): Promise<GuardedRead> => {
    const { object, version } = await store.read();
    return {
      observed: readSplit(object, shape, selection),
      async write() {
        try {
          await store.write(planWeights(object, shape, selection, split), version);
          return true;
        } catch (error) {
          if (error instanceof ResourceVersionConflict) return false;
          throw error;
        }
      },
    };
  };
}

async function waitUntilServing<B>(
  shape: RuleShape<B>,
  selection: RuleSelection<B>,
  store: RouteStore,
  split: Split,
  settings: RuleRouterSettings,
): Promise<void> {
  const deadline = Date.now() + settings.verifyTimeoutMs;
  for (;;) {
    const { object } = await store.read();
    const serving = readSplit(object, shape, selection);
    if (!sameSplit(serving, split)) {
      throw new UserFacingError(
        `${store.description} holds ${serving ? describeSplit(serving) : 'no split'} instead of ` +
          `${describeSplit(split)}; something else changed it.`,
      );
    }
    const waiting = store.hasStatus ? notReadyBecause(object) : undefined;
    if (waiting === undefined) return;
    if (Date.now() >= deadline) {
      throw new UserFacingError(
        `${store.description} holds ${describeSplit(split)}, but after ${settings.verifyTimeoutMs} ms its ` +
          `controller has not taken it in: ${waiting}.`,
      );
    }
    await sleep(settings.pollMs ?? 200);
  }
}
