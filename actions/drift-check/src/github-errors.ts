import { UserFacingError } from '@recsys-actions/core';

/**
 * Runs a GitHub call and turns a refusal (401, 403, 404) into one clear line naming the permission the token
 * needs; a workflow without `issues: write` is a configuration mistake, not a bug in the action.
 */
export async function withPermissionHint<T>(
  what: string,
  permission: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (status === 401 || status === 403 || status === 404) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new GitHubRefusal(
        `Could not ${what}: GitHub answered ${status} (${reason}). Give the token '${permission}' permission.`,
      );
    }
    throw error;
  }
}

/** GitHub refused a call for want of a permission: the workflow's to fix, and no reason to lose the result. */
export class GitHubRefusal extends UserFacingError {}
