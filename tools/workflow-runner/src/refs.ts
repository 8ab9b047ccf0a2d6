import { join } from 'node:path';
import { UserFacingError } from '@recsys-actions/core';

/** What a step's `uses:` runs here. */
export type ActionRef =
  | { kind: 'checkout' | 'upload-artifact' | 'download-artifact' }
  /** A node action of this recsys-actions checkout, given by `<owner>/recsys-actions/<action>@<ref>`. */
  | { kind: 'suite'; dir: string; name: string }
  /** `./<path>`: an action inside the job's workspace, as on GitHub (so after a checkout). */
  | { kind: 'workspace'; path: string };

const stubbed = ['checkout', 'upload-artifact', 'download-artifact'] as const;
const suiteAction = /^[\w.-]+\/recsys-actions\/([\w.-]+)@[\w./-]+$/;
const suiteWorkflow = /^[\w.-]+\/recsys-actions\/(\.github\/workflows\/[\w.-]+\.ya?ml)@[\w./-]+$/;

/**
 * Classifies `uses:` of a step. Any ref of this suite resolves to `suiteRoot` (this checkout), whatever its
 * version: the point is to run the code in front of you. Any other third-party action is refused.
 */
export function classifyAction(uses: string, suiteRoot: string): ActionRef {
  const github = /^actions\/([\w-]+)@/.exec(uses)?.[1];
  const stub = stubbed.find((name) => name === github);
  if (stub) return { kind: stub };
  const suite = suiteAction.exec(uses)?.[1];
  if (suite) return { kind: 'suite', dir: join(suiteRoot, 'actions', suite), name: suite };
  if (uses.startsWith('./')) return { kind: 'workspace', path: uses.slice(2) };
  throw new UserFacingError(
    `The workflow runner cannot run '${uses}': it runs actions/checkout, actions/upload-artifact, ` +
      `actions/download-artifact, <owner>/recsys-actions/<action>@<ref> and ./<path> actions only. ` +
      `Example: uses: org/recsys-actions/validate-model@v1`,
  );
}

/**
 * The file a reusable job's `uses:` names: `./<path>` inside the repository of the calling workflow, and
 * `<owner>/recsys-actions/.github/workflows/<file>@<ref>` inside this checkout.
 */
export function resolveWorkflowRef(
  uses: string,
  callerRepo: string,
  suiteRoot: string,
): { file: string; repo: string } {
  if (uses.startsWith('./')) return { file: join(callerRepo, uses.slice(2)), repo: callerRepo };
  const suite = suiteWorkflow.exec(uses)?.[1];
  if (suite) return { file: join(suiteRoot, suite), repo: suiteRoot };
  throw new UserFacingError(
    `The workflow runner cannot call '${uses}': only ./.github/workflows/<file> and ` +
      `<owner>/recsys-actions/.github/workflows/<file>@<ref> resolve on this machine. ` +
      `Example: uses: org/recsys-actions/.github/workflows/model-ci.yml@v1`,
  );
}
