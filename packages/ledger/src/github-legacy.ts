import { ledgerEventSchema, type LedgerEvent, type LedgerEventType } from './events';
import type {
  Deployment,
  DeploymentPayload,
  DeploymentsApi,
  DeploymentState,
  DeploymentStatus,
} from './github-ledger';

const TYPE_OF: Partial<Record<DeploymentState, LedgerEventType>> = {
  queued: 'validated',
  in_progress: 'canary',
  success: 'promoted',
  failure: 'rolled-back',
  inactive: 'superseded',
};

const DESCRIPTION =
  /^(?:Validated|Canary|Promoted|Rolled back|Superseded)(?: (\d{1,3})%)? by ([^\s:]+)(?:: (.*))?$/s;

/**
 * The history written before the journal: one deployment per model version, each event a status on it
 * (`in_progress` canary, `success` promoted, `failure` rolled back, `inactive` superseded, `queued` validated).
 * Read in full, once: the first journal step carries what it says forward in its own intent.
 */
export async function readLegacyHistory(
  api: DeploymentsApi,
  environment: string,
): Promise<{ events: LedgerEvent[]; warnings: string[] }> {
  const warnings: string[] = [];
  const events: { event: LedgerEvent; order: [string, number] }[] = [];
  for (const deployment of await api.listDeployments({ environment })) {
    const payload = deployment.payload as Partial<DeploymentPayload> | null;
    if (typeof payload?.version !== 'string' || payload.recsys !== undefined) continue;
    for (const status of await api.listDeploymentStatuses({ deployment_id: deployment.id })) {
      const event = ledgerEventSchema().safeParse(eventFromStatus(deployment, payload.version, status));
      if (event.success) {
        events.push({ event: event.data, order: [status.created_at, status.id] });
      } else {
        warnings.push(
          `deployment ${deployment.id} (${payload.version}): skipped status ${status.id} '${status.state}', which this ledger did not write`,
        );
      }
    }
  }
  // GitHub timestamps have one-second resolution, so ids break ties.
  events.sort((a, b) => a.order[0].localeCompare(b.order[0]) || a.order[1] - b.order[1]);
  return { events: events.map(({ event }) => event), warnings };
}

function eventFromStatus(
  deployment: Deployment,
  version: string,
  status: DeploymentStatus,
): LedgerEvent | undefined {
  const type = TYPE_OF[status.state];
  if (type === undefined) return undefined;
  // Statuses written by other tools have other descriptions; the creator is then the best actor there is.
  const [, weight, actor, reason] = DESCRIPTION.exec(status.description ?? '') ?? [];
  const payload = deployment.payload as Partial<DeploymentPayload>;
  const common = {
    version,
    actor: actor ?? status.creator?.login ?? 'unknown',
    ...(status.log_url ? { runUrl: status.log_url } : {}),
    commitSha: deployment.sha,
    ...(payload.modelSha256 === undefined ? {} : { modelSha256: payload.modelSha256 }),
    timestamp: status.created_at,
  };
  switch (type) {
    case 'canary': {
      const fromPayload = payload.split?.targets.find((target) => target.version === version)?.weight;
      return { type, weight: weight === undefined ? (fromPayload ?? 0) : Number(weight), ...common };
    }
    case 'rolled-back':
      return { type, reason: reason ?? status.description ?? 'no reason recorded', ...common };
    default:
      return { type, ...common };
  }
}
