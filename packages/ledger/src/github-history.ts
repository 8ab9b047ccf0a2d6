import type { Deployment, DeploymentsApi, DeploymentStatus } from './github-ledger';
import type { JournalStep, StepIntent, StepOutcome } from './journal';
import type { LedgerHistory } from './ledger';
import { advance, releaseStateSchema, type ReleaseState } from './state';

/** A journal step as listed: its deployment and intent, its outcome not yet known. */
export interface ListedStep {
  deployment: Deployment;
  intent: StepIntent;
}

export interface GitHubHistoryPorts {
  api: DeploymentsApi;
  environment: string;
  /** The intent of a deployment, or undefined for deployments the journal did not write. */
  intentOf(deployment: Deployment): StepIntent | undefined;
  /** The outcome its statuses tell, undefined while unfinished. */
  outcomeFrom(key: string, statuses: DeploymentStatus[]): StepOutcome | undefined;
}

const INFERRED = "inferred from the next step's recorded state";

/**
 * The steps since `since`, read page by page (newest first, 100 a page) until a page reaches back past it. Each
 * intent carries the release state it started from, so a step's effect is read off the next step's `before`:
 * statuses are fetched only for the newest step and for the rare step whose successor agrees with neither
 * reading (another tool moved traffic between them). The requests are the pages plus those few, never one per
 * deployment. An inferred outcome ends at the deployment's `updated_at`, the time of its last status.
 */
export async function readGitHubHistory(ports: GitHubHistoryPorts, since: Date): Promise<LedgerHistory> {
  const { listed, anyDeployment } = await listSince(ports, since.getTime());
  const oldestFirst = listed.reverse();
  const steps: JournalStep[] = [];
  for (const [index, step] of oldestFirst.entries()) {
    const next = oldestFirst[index + 1];
    const outcome = (next && inferredOutcome(step, next.intent.before)) ?? (await statusOutcome(ports, step));
    steps.push({ ref: String(step.deployment.id), intent: step.intent, ...(outcome ? { outcome } : {}) });
  }
  const from = since.getTime();
  return {
    exists: anyDeployment,
    steps: steps.filter((step) => Date.parse(step.intent.timestamp) >= from),
    warnings: [],
  };
}

async function listSince(
  ports: GitHubHistoryPorts,
  since: number,
): Promise<{ listed: ListedStep[]; anyDeployment: boolean }> {
  const listed: ListedStep[] = [];
  let anyDeployment = false;
  for await (const page of ports.api.listDeploymentPages({ environment: ports.environment })) {
    anyDeployment ||= page.length > 0;
    for (const deployment of page) {
      const intent = ports.intentOf(deployment);
      if (intent) listed.push({ deployment, intent });
    }
    // Lists come newest first: once a page reaches back past `since`, older pages hold nothing wanted, except
    // the successor whose `before` tells the oldest wanted step's effect, which this page already holds.
    const oldest = page.at(-1);
    if (oldest === undefined || Date.parse(oldest.created_at) < since) break;
  }
  return { listed, anyDeployment };
}

/** The step's outcome as its successor's `before` tells it; undefined when that does not say. */
function inferredOutcome(step: ListedStep, nextBefore: ReleaseState): StepOutcome | undefined {
  const before = canonical(step.intent.before);
  const after = canonical(advance(step.intent.before, step.intent));
  const seen = canonical(nextBefore);
  if (seen !== after && seen !== before) return undefined;
  const result = seen === after ? (after === before ? 'unchanged' : 'applied') : 'failed';
  return {
    type: 'outcome',
    key: step.intent.key,
    result,
    note: INFERRED,
    actor: step.intent.actor,
    ...(step.intent.runUrl === undefined ? {} : { runUrl: step.intent.runUrl }),
    timestamp: step.deployment.updated_at ?? step.deployment.created_at,
  };
}

async function statusOutcome(ports: GitHubHistoryPorts, step: ListedStep): Promise<StepOutcome | undefined> {
  const statuses = await ports.api.listDeploymentStatuses({ deployment_id: step.deployment.id, limit: 5 });
  return ports.outcomeFrom(step.intent.key, statuses);
}

/** One spelling of a state, whatever order its keys were written in. */
function canonical(state: ReleaseState): string {
  return JSON.stringify(releaseStateSchema().parse(state));
}
