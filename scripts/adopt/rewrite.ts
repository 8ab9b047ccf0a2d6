// Pure text rewriting behind `pnpm adopt`: pointing `org/recsys-actions/...@v1` references at a fork or at a
// vendored copy, and filling `$default-branch`. No file system here, so every rule is unit-testable.
import { UserFacingError } from '@recsys-actions/core';
import { parse as parseYaml } from 'yaml';

/** The name every workflow, template and README in this repository uses for itself. */
export const UPSTREAM = 'org/recsys-actions';
const UPSTREAM_TAG = 'v1';

/** Where `uses:` references should point instead: a repository and a tag, branch or commit SHA in it. */
export interface UsesTarget {
  owner: string;
  repo: string;
  ref: string;
}

// GitHub's own limits: owners are 1-39 letters, digits and inner hyphens; repository names use letters,
// digits, `.`, `_` and `-`. A ref is a tag, branch or SHA, so slashes are allowed but not git's forbidden
// characters or `..`.
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const REF = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]+(?<![/.])$/;

/** A one-line user error for a bad command-line flag, always with a value that would work. */
export function flagError(flag: string, problem: string, example: string): UserFacingError {
  return new UserFacingError(`--${flag} ${problem}. Example: --${flag} ${example}`);
}

/** Parses `OWNER/REPO@REF`, e.g. `my-org/recsys-actions@v1`. */
export function parseUsesTarget(value: string): UsesTarget {
  const match = /^([^/@\s]+)\/([^/@\s]+)@(\S+)$/.exec(value);
  const [, owner = '', repo = '', ref = ''] = match ?? [];
  if (!match || !OWNER.test(owner) || !REPO.test(repo) || repo === '.' || repo === '..' || !REF.test(ref)) {
    throw flagError('uses', `must be OWNER/REPO@REF, got '${value}'`, 'my-org/recsys-actions@v1');
  }
  return { owner, repo, ref };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const UPSTREAM_PATTERN = escapeRegExp(UPSTREAM);

/**
 * Points every `org/recsys-actions` mention at the fork, including prose in comments, and turns `@v1` after an
 * upstream path into the fork's ref. Only the upstream name is matched, so a second run changes nothing.
 */
export function rewriteForFork(text: string, target: UsesTarget): string {
  const fork = `${target.owner}/${target.repo}`;
  const tagged = new RegExp(`${UPSTREAM_PATTERN}((?:/[^\\s@'"#\\x60]*)?)@${UPSTREAM_TAG}(?![\\w.-])`, 'g');
  return text
    .replace(tagged, (_match, path: string) => `${fork}${path}@${target.ref}`)
    .replaceAll(UPSTREAM, fork);
}

/** Checks a `--vendored` path: relative to the repository root, inside it, returned without `./` or `/` ends. */
export function normaliseVendoredPath(value: string): string {
  const path = value.replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
  const segments = path.split('/');
  if (
    path === '' ||
    value.startsWith('/') ||
    segments.some((part) => part === '..' || part === '.' || !part)
  ) {
    throw flagError(
      'vendored',
      `must be a folder inside the repository, got '${value}'`,
      'vendor/recsys-actions',
    );
  }
  return path;
}

export interface VendoredLayout {
  /** The vendored copy's folder, relative to the repository root, e.g. `vendor/recsys-actions`. */
  path: string;
  /** File names in the repository's own `.github/workflows`, where a local reusable workflow must live. */
  localWorkflows: ReadonlySet<string>;
}

/**
 * Turns `uses: org/recsys-actions/<action>@…` into `uses: ./<path>/actions/<action>` and reusable workflow
 * references into `./.github/workflows/<name>`; comments are left alone. GitHub only runs reusable workflows from a repository's own
 * `.github/workflows` folder, so a workflow that is not there cannot become local: that is an error.
 */
export function rewriteForVendored(text: string, layout: VendoredLayout): string {
  // Anchored at a line's start so that comments, which describe the upstream, keep naming it.
  const reference = new RegExp(
    `^([ \\t]*(?:-[ \\t]+)?uses:[ \\t]*['"]?)${UPSTREAM_PATTERN}/([^\\s@'"#]+)@[^\\s'"#]+`,
    'gm',
  );
  return text.replace(reference, (_match, prefix: string, path: string) => {
    const workflow = /^\.github\/workflows\/([^/]+\.ya?ml)$/.exec(path)?.[1];
    if (workflow === undefined) return `${prefix}./${layout.path}/actions/${path}`;
    if (!layout.localWorkflows.has(workflow)) {
      throw new UserFacingError(
        `--vendored cannot make ${UPSTREAM}/${path} local: GitHub only calls reusable workflows from a ` +
          `repository's own .github/workflows folder, and there is no .github/workflows/${workflow} here. ` +
          `Copy ${layout.path}/${path} to .github/workflows/${workflow}, or point at a fork with --uses ` +
          `my-org/recsys-actions@v1`,
      );
    }
    return `${prefix}./.github/workflows/${workflow}`;
  });
}

/**
 * Fills GitHub's `$default-branch` template placeholder, which only the "New workflow" page substitutes; a
 * template copied by hand would otherwise trigger on a branch literally named `$default-branch`.
 */
export function fillDefaultBranch(text: string, branch: string): string {
  return text.replaceAll('$default-branch', branch);
}

interface WorkflowShape {
  jobs?: Record<string, { steps?: { uses?: string }[] }>;
}

/**
 * Jobs that use a local action (`uses: ./…`) before any `actions/checkout` step. A local action is loaded from
 * the job's workspace, so without a checkout first the runner cannot find it.
 */
export function jobsUsingLocalActionsBeforeCheckout(text: string): string[] {
  const workflow = (parseYaml(text) ?? {}) as WorkflowShape;
  return Object.entries(workflow.jobs ?? {})
    .filter(([, job]) => {
      const steps = job.steps ?? [];
      const firstLocal = steps.findIndex((step) => step.uses?.startsWith('./'));
      const firstCheckout = steps.findIndex((step) => step.uses?.startsWith('actions/checkout@'));
      return firstLocal !== -1 && (firstCheckout === -1 || firstCheckout > firstLocal);
    })
    .map(([name]) => name);
}

/** Checks a `--branch` value; it ends up unquoted in `branches: [...]`, so it must be a plain git ref. */
export function parseBranch(value: string): string {
  if (!REF.test(value)) throw flagError('branch', `must be a branch name, got '${value}'`, 'main');
  return value;
}
