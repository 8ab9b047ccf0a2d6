import { openReleaseTargets, type ReleaseTargets } from '@recsys-actions/release';
import { githubDeployments } from './deployments';
import type { ActionContext } from './run';

/**
 * The router and ledger of a shift or a rollback, opened with the run's GitHub Deployments API, and every
 * secret they hold masked before anything can print it.
 */
export function openReleaseStep(
  ctx: ActionContext<'shift-traffic' | 'rollback'>,
  inputs: Parameters<typeof openReleaseTargets>[0],
): ReleaseTargets {
  ctx.mask(inputs.ledger.token);
  const targets = openReleaseTargets(inputs, ctx.run, (token) =>
    githubDeployments(ctx.github(token), ctx.run),
  );
  for (const secret of targets.router.credentials) ctx.mask(secret);
  return targets;
}
