import type { Split } from '@recsys-actions/traffic/split';
import {
  stateAfter,
  stepIntentSchema,
  tookEffect,
  type Journal,
  type JournalStep,
  type StepIntent,
  type StepOutcome,
  type StepResult,
} from './journal';
import { readGitHubHistory } from './github-history';
import { readLegacyHistory } from './github-legacy';
import type { Ledger } from './ledger';
import { stateFromEvents, type ReleaseState } from './state';

/** Deployment status states GitHub accepts. */
export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

/** The parts of GitHub's deployment object this ledger reads (REST field names, so Octokit data fits as is). */
export interface Deployment {
  id: number;
  sha: string;
  environment: string;
  payload: unknown;
  created_at: string;
  /** When the last status was added (GitHub touches the deployment then); absent from older callers. */
  updated_at?: string;
}

export interface DeploymentStatus {
  id: number;
  state: DeploymentState;
  description: string | null;
  log_url?: string | null;
  created_at: string;
  creator?: { login: string } | null;
}

/**
 * The slice of the GitHub Deployments API the ledger needs, for one repository. The action runtime implements it
 * with Octokit. Lists come newest first, as GitHub returns them: with `limit`, only that many (one request);
 * without, every page.
 */
export interface DeploymentsApi {
  listDeployments(query: { environment: string; limit?: number }): Promise<Deployment[]>;
  /** Every deployment of the environment, newest first, one page (of up to 100) per request, on demand. */
  listDeploymentPages(query: { environment: string }): AsyncIterable<Deployment[]>;
  createDeployment(request: {
    ref: string;
    environment: string;
    payload: DeploymentPayload;
    description: string;
    auto_merge: false;
    required_contexts: [];
    transient_environment: false;
  }): Promise<Deployment>;
  listDeploymentStatuses(query: { deployment_id: number; limit?: number }): Promise<DeploymentStatus[]>;
  createDeploymentStatus(request: {
    deployment_id: number;
    state: DeploymentState;
    description: string;
    log_url?: string;
    environment: string;
    auto_inactive: false;
  }): Promise<DeploymentStatus>;
}

/**
 * What a step's deployment carries: the version it sends traffic to, and under `recsys` the whole intent.
 * Deployments written before the journal carry `{version, split, metrics, modelSha256}` only.
 */
export interface DeploymentPayload {
  version: string;
  recsys?: { journal: 1; intent: StepIntent };
  split?: Split;
  metrics?: Record<string, number>;
  modelSha256?: string;
}

export interface GitHubLedgerOptions {
  api: DeploymentsApi;
  environment: string;
  /** The commit a new deployment points at when the intent names none, usually GITHUB_SHA. */
  ref: string;
}

/** How many recent deployments a step reads: the window in which re-runs and unfinished steps are found. */
export const JOURNAL_WINDOW = 30;
/** GitHub rejects longer status descriptions. */
const DESCRIPTION_LIMIT = 140;

const STATE_OF: Record<StepResult, DeploymentState> = {
  applied: 'success',
  unchanged: 'inactive',
  abandoned: 'failure',
  failed: 'failure',
};
const LABEL_OF: Record<StepResult, string> = {
  applied: 'Applied',
  unchanged: 'Unchanged',
  abandoned: 'Abandoned',
  failed: 'Failed',
};

/**
 * The journal kept as GitHub deployments: each step is one deployment whose payload holds the intent, with an
 * `in_progress` status while it runs and a final status for its outcome (`success` applied, `inactive`
 * unchanged, `failure` abandoned or failed, told apart by the description). A step reads the newest
 * {@link JOURNAL_WINDOW} deployments in one request and the statuses of only the few it needs, so its cost does
 * not grow with history.
 */
export function createGitHubLedger(options: GitHubLedgerOptions): Ledger {
  const { api, environment } = options;
  return {
    description: `GitHub deployments of environment ${environment}`,
    keepsJournal: true,
    read: (key) => readJournal(api, environment, key),
    history: (since) => readGitHubHistory({ api, environment, intentOf: journalIntent, outcomeFrom }, since),
    async begin(input) {
      const intent = stepIntentSchema().parse(input);
      const deployment = await api.createDeployment({
        ref: intent.commitSha ?? options.ref,
        environment,
        payload: { version: intent.version, recsys: { journal: 1, intent } },
        description: limited(intentSummary(intent)),
        auto_merge: false,
        required_contexts: [],
        transient_environment: false,
      });
      const step = { ref: String(deployment.id), intent };
      // A deployment without any status reads as unfinished too, so this status is for people, not for readers.
      await api.createDeploymentStatus({
        deployment_id: deployment.id,
        state: 'in_progress',
        description: limited(`Started by ${intent.actor}`),
        ...(intent.runUrl === undefined ? {} : { log_url: intent.runUrl }),
        environment,
        auto_inactive: false,
      });
      return step;
    },
    async finish(step, outcome) {
      await api.createDeploymentStatus({
        deployment_id: Number(step.ref),
        state: STATE_OF[outcome.result],
        description: limited(
          `${LABEL_OF[outcome.result]} by ${outcome.actor}${outcome.note ? `: ${outcome.note}` : ''}`,
        ),
        ...(outcome.runUrl === undefined ? {} : { log_url: outcome.runUrl }),
        environment,
        auto_inactive: false,
      });
      return [];
    },
  };
}

async function readJournal(api: DeploymentsApi, environment: string, key: string): Promise<Journal> {
  const recent = await api.listDeployments({ environment, limit: JOURNAL_WINDOW });
  const steps = recent.flatMap((deployment) => {
    const intent = journalIntent(deployment);
    return intent === undefined ? [] : [new LazyStep(api, deployment.id, intent)];
  });
  const newest = await steps[0]?.read();
  const own = await steps.find((step) => step.intent.key === key)?.read();
  let state: ReleaseState | undefined;
  for (const step of steps) {
    const read = await step.read();
    if (tookEffect(read)) {
      state = stateAfter(read);
      break;
    }
  }
  const warnings: string[] = [];
  // No step in the window took effect: the oldest one still carries the state from before all of them.
  state ??= steps.at(-1)?.intent.before;
  if (state === undefined) {
    const legacy = await readLegacyHistory(api, environment);
    warnings.push(...legacy.warnings);
    state = stateFromEvents(legacy.events);
  }
  return { state, ...(newest ? { newest } : {}), ...(own ? { own } : {}), warnings };
}

/** A step whose statuses are fetched on first use, once: most reads need the newest step's only. */
class LazyStep {
  private step: Promise<JournalStep> | undefined;
  constructor(
    private readonly api: DeploymentsApi,
    private readonly deploymentId: number,
    readonly intent: StepIntent,
  ) {}

  read(): Promise<JournalStep> {
    this.step ??= this.api
      .listDeploymentStatuses({ deployment_id: this.deploymentId, limit: 5 })
      .then((statuses) => {
        const outcome = outcomeFrom(this.intent.key, statuses);
        return { ref: String(this.deploymentId), intent: this.intent, ...(outcome ? { outcome } : {}) };
      });
    return this.step;
  }
}

function journalIntent(deployment: Deployment): StepIntent | undefined {
  const payload = deployment.payload as Partial<DeploymentPayload> | null;
  if (payload?.recsys?.journal !== 1) return undefined;
  const parsed = stepIntentSchema().safeParse(payload.recsys.intent);
  return parsed.success ? parsed.data : undefined;
}

const OUTCOME_DESCRIPTION = /^(Applied|Unchanged|Abandoned|Failed) by ([^\s:]+)(?:: (.*))?$/s;
const RESULT_OF = new Map(Object.entries(LABEL_OF).map(([result, label]) => [label, result as StepResult]));

const UNFINISHED: ReadonlySet<DeploymentState> = new Set(['in_progress', 'queued', 'pending']);

/**
 * The outcome told by the first final status (statuses come newest first); undefined while the step is
 * unfinished. A later final status, of a reconciling step racing the step itself or of another tool, is a
 * duplicate and dropped, as the file ledger drops a second outcome.
 */
function outcomeFrom(key: string, statuses: DeploymentStatus[]): StepOutcome | undefined {
  const final = statuses.findLast((status) => !UNFINISHED.has(status.state));
  if (final === undefined) return undefined;
  const [, label, actor, note] = OUTCOME_DESCRIPTION.exec(final.description ?? '') ?? [];
  const result =
    RESULT_OF.get(label ?? '') ??
    (final.state === 'success' ? 'applied' : final.state === 'inactive' ? 'unchanged' : 'failed');
  return {
    type: 'outcome',
    key,
    result,
    actor: actor ?? final.creator?.login ?? 'unknown',
    ...(note === undefined ? {} : { note }),
    ...(final.log_url ? { runUrl: final.log_url } : {}),
    timestamp: final.created_at,
  };
}

function intentSummary(intent: StepIntent): string {
  if (intent.step === 'rollback') {
    return `Roll back to ${intent.version}${intent.leaving?.length ? ` from ${intent.leaving.join(', ')}` : ''}`;
  }
  const weight = intent.to.targets.find((target) => target.version === intent.version)?.weight ?? 0;
  return weight === 100 ? `Promote ${intent.version}` : `Canary ${intent.version} at ${weight}%`;
}

function limited(text: string): string {
  return text.length <= DESCRIPTION_LIMIT ? text : `${text.slice(0, DESCRIPTION_LIMIT - 1)}…`;
}
