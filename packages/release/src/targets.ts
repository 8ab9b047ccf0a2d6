import { withInputNames, type ShellExec } from '@recsys-actions/core';
import type { DeploymentsApi, Ledger } from '@recsys-actions/ledger';
import { createRouter, type Router, type RouterConfig, type RouterContext } from '@recsys-actions/traffic';
import { openLedger, type LedgerSelection } from './ledger-backend';

export interface ReleaseTargets {
  place: RouterContext;
  router: Router;
  ledger: Ledger;
}

/** The router and the ledger a shift or a rollback works on, opened the same way by both actions. */
export function openReleaseTargets(
  inputs: { environment: string; router: RouterConfig; ledger: LedgerSelection },
  run: { workspace: string; sha?: string },
  deployments: (token: string) => DeploymentsApi,
  exec?: ShellExec,
): ReleaseTargets {
  const place = { environment: inputs.environment, workspace: run.workspace };
  return {
    place,
    router: openRouter(inputs.router, { ...place, exec }),
    ledger: openLedger(inputs.ledger, { ...place, ref: run.sha, deployments }),
  };
}

/** A router finds some faults of its config only when it opens (a path outside the workspace). */
function openRouter(config: RouterConfig, place: RouterContext): Router {
  return withInputNames(ROUTER_FIELDS, () => createRouter(config, place));
}

/** The router's own fields, as the inputs shift-traffic and rollback read them from. */
const ROUTER_FIELDS = { config: { input: 'router-config' }, environment: { input: 'environment' } };
