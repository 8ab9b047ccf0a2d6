import { UserFacingError, type ShellExec } from '@recsys-actions/core';
import type { z } from 'zod';
import { describeSplit, type Split } from './split';

/** What a router reports after applying a split. */
export interface ApplyResult {
  /** The split in force before, when the router had one. */
  previous?: Split;
  /** False when the split was already in force and nothing was touched. */
  changed: boolean;
}

export interface ApplyOptions {
  /**
   * The split the caller believes is serving: what its own `observe()` returned, under the step lock. Undefined
   * means "nothing routed yet". A caller that has no belief of its own observes first and passes that.
   */
  expected: Split | undefined;
}

/**
 * Moves traffic between model versions in one environment. Release code talks only to this interface, so a new
 * routing backend (Gateway API, Lambda alias weights, SageMaker variants, …) is a new router, not a new action.
 */
export interface Router {
  /** One line naming the backend and its target, for logs and reports. */
  readonly description: string;
  /**
   * What two runs must not change at the same time, e.g. `file:/abs/path`. Runs on one host whose routers name
   * the same target share the step lock, whatever their workspace.
   */
  readonly lockTarget: string;
  /** Secrets from the config (tokens, passwords), for the action to mask in logs. */
  readonly credentials: readonly string[];
  /**
   * Files inside the workspace this router writes, relative to it: what a GitOps push commits. Routers that
   * keep their split elsewhere (nginx) leave it out.
   */
  readonly workspaceFiles?: readonly string[];
  /**
   * True when the router can put a split with a `mirror` (a shadow) in force: copy that share of requests to
   * the shadow version and drop its answers. Absent means it cannot; release steps refuse a shadow for it.
   */
  readonly canMirror?: boolean;
  /**
   * Throws a ConfigError or {@link UserFacingError} when this router could not put `split` in force (a
   * version without servers, a target it may not write), touching nothing. Release steps call it before they
   * journal an intent, so bad config never leaves a half-written step behind.
   */
  check(split: Split): Promise<void>;
  /** The split serving now, or undefined when this environment has never been routed. */
  observe(): Promise<Split | undefined>;
  /**
   * Puts `split` in force; resolves once new requests follow it. Idempotent. Throws {@link SplitConflictError},
   * changing nothing, when the observed split is not `expected`.
   */
  apply(split: Split, options: ApplyOptions): Promise<ApplyResult>;
  /** Resolves when `split` is what serves; throws a {@link UserFacingError} saying what serves instead. */
  verify(split: Split): Promise<void>;
}

/** Where a router runs: relative paths in its config are resolved against the workspace. */
export interface RouterContext {
  environment: string;
  workspace: string;
  /**
   * Runs a user's shell script in the workspace, as the host runs its other scripts (the action runtime's
   * `ctx.exec`). Absent where nothing may be run; a router that needs it says so when it is created.
   */
  exec?: ShellExec;
}

/**
 * One routing backend: its `type` (the value of the router input), the schema of its config (without `type`),
 * an example config for error messages and the factory. Registered with `registerRouterBackend`.
 */
export interface RouterBackend<Config = unknown> {
  readonly type: string;
  readonly configSchema: z.ZodType<Config, unknown>;
  /** A config that works, in flow YAML, e.g. `{ path: traffic/production.json }`. */
  readonly example: string;
  create(config: Config, context: RouterContext): Router;
}

/** The split changed between the caller's observation and the apply: someone else moved traffic. */
export class SplitConflictError extends UserFacingError {
  override name = 'SplitConflictError';
  constructor(
    readonly target: string,
    readonly expected: Split | undefined,
    readonly observed: Split | undefined,
  ) {
    super(
      `${target} changed while this step ran: expected ${show(expected)}, but it serves ${show(observed)}. ` +
        'Nothing was changed; re-run the step to start from what serves now.',
    );
  }
}

function show(split: Split | undefined): string {
  return split === undefined ? 'no split yet' : describeSplit(split);
}
