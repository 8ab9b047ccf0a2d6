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

export interface StoredObject {
  object: KubeObject;
  version: string;
}

/**
 * Where the object lives: the API server (`api` mode) or a manifest in the repository (`git` mode). `write`
 * applies the patch only if the object is still at `version`, else throws {@link ResourceVersionConflict}.
 */
export interface RouteStore {
  readonly description: string;
  readonly lockTarget: string;
  readonly credentials: readonly string[];
  readonly workspaceFiles?: readonly string[];
  read(): Promise<StoredObject>;
  /** Resolves to the object as stored after the write when the store answers with it (the API server does). */
  write(operations: JsonPatchOperation[], version: string): Promise<StoredObject | undefined>;
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
  const route: Route<B> = { shape, selection, store, answers: latestAnswers(store) };
  const observe = async () => readSplit((await route.answers.read()).object, shape, selection);
  return {
    description: store.description,
    lockTarget: store.lockTarget,
    credentials: store.credentials,
    canMirror: shape.mirror !== undefined,
    ...(store.workspaceFiles ? { workspaceFiles: store.workspaceFiles } : {}),
    async check(split) {
      requireBackends(shape, selection, split);
      // Only whether the rule exists: the step's observe has just read the object, and apply reads what it plans on.
      locateRule((route.answers.reusable() ?? (await route.answers.read())).object, shape, selection);
    },
    observe,
    async apply(split, { expected }) {
      requireBackends(shape, selection, split);
      return applyWithPrecondition(store.description, guardedRead(route, split), split, expected);
    },
    verify: (split) => waitUntilServing(route, split, settings),
  };
}

interface Route<B> {
  shape: RuleShape<B>;
  selection: RuleSelection<B>;
  store: RouteStore;
  answers: StoreAnswers;
}

/** How long the store's latest answer stands in for a new read: the span of one step's observe, check and apply. */
const ANSWER_REUSE_MS = 5_000;

/**
 * The store's reads and writes, remembering its latest answer. A step reads the object to observe it, then
 * checks and applies, and through the API every read is a round trip. A recent answer is as good to plan a
 * write on: the write carries the version it was planned on, and the store refuses it if the object moved since.
 */
function latestAnswers(store: RouteStore) {
  let latest: { answer: StoredObject; at: number; written: boolean } | undefined;
  const remember = (answer: StoredObject, written: boolean) => {
    latest = { answer, at: Date.now(), written };
    return answer;
  };
  const recent = () => (latest && Date.now() - latest.at <= ANSWER_REUSE_MS ? latest : undefined);
  return {
    read: async () => remember(await store.read(), false),
    /** The latest answer, read or written, while it is recent. */
    reusable: () => recent()?.answer,
    /** The object as the store answered this router's latest write, while that is the latest answer and recent. */
    written: () => (recent()?.written ? recent()?.answer : undefined),
    async write(operations: JsonPatchOperation[], version: string) {
      latest = undefined;
      const answer = await store.write(operations, version);
      if (answer) remember(answer, true);
    },
  };
}

type StoreAnswers = ReturnType<typeof latestAnswers>;

/**
 * Reads the object, and writes the planned weights only against the version read. The first attempt plans on
 * the latest answer when it calls for a write, which its version guards; one showing the split in force
 * already (nothing to write, so nothing would catch a stale answer) and every later attempt read again.
 */
function guardedRead<B>({ shape, selection, answers }: Route<B>, split: Split) {
  let attempts = 0;
  return async (): Promise<GuardedRead> => {
    attempts += 1;
    const reusable = attempts === 1 ? answers.reusable() : undefined;
    const { object, version } =
      reusable && !sameSplit(readSplit(reusable.object, shape, selection), split)
        ? reusable
        : await answers.read();
    return {
      observed: readSplit(object, shape, selection),
      async write() {
        try {
          await answers.write(planWeights(object, shape, selection, split), version);
          return true;
        } catch (error) {
          if (error instanceof ResourceVersionConflict) return false;
          throw error;
        }
      },
    };
  };
}

/** Why `object` does not serve `split` yet, or undefined when it does; throws when it holds another split. */
function notServingBecause<B>({ shape, selection, store }: Route<B>, object: KubeObject, split: Split) {
  const serving = readSplit(object, shape, selection);
  if (!sameSplit(serving, split)) {
    throw new UserFacingError(
      `${store.description} holds ${serving ? describeSplit(serving) : 'no split'} instead of ` +
        `${describeSplit(split)}; something else changed it.`,
    );
  }
  return store.hasStatus ? notReadyBecause(object) : undefined;
}

function servesAlready<B>({ shape, selection, store }: Route<B>, object: KubeObject, split: Split): boolean {
  if (!sameSplit(readSplit(object, shape, selection), split)) return false;
  return !store.hasStatus || notReadyBecause(object) === undefined;
}

async function waitUntilServing<B>(
  route: Route<B>,
  split: Split,
  settings: RuleRouterSettings,
): Promise<void> {
  const deadline = Date.now() + settings.verifyTimeoutMs;
  // The API server answers a write with the object as stored: when that already serves the split, a read would
  // show the same. Otherwise (its controller has yet to report on the new generation) read, and poll.
  const written = route.answers.written();
  if (written && servesAlready(route, written.object, split)) return;
  for (;;) {
    const waiting = notServingBecause(route, (await route.answers.read()).object, split);
    if (waiting === undefined) return;
    if (Date.now() >= deadline) {
      throw new UserFacingError(
        `${route.store.description} holds ${describeSplit(split)}, but after ${settings.verifyTimeoutMs} ms its ` +
          `controller has not taken it in: ${waiting}.`,
      );
    }
    await sleep(settings.pollMs ?? 200);
  }
}
