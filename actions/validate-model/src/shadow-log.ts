import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, InputError, withInputNames, type ReportSectionInput } from '@recsys-actions/core';
import {
  evaluate,
  listsPerUser,
  pairShadowAnswers,
  readShadowLog,
  servingStats,
  shadowAgreement,
  SHADOW_LOG_EXAMPLE_LINE,
  type ShadowAgreementAtK,
  type PairedRequest,
  type ServingStats,
} from '@recsys-actions/recsys-eval';
import type { ValidateModelInputs } from './inputs';

/** RBO's persistence for shadow agreement: the top 10 carry about 86 % of the weight. */
const RBO_P = 0.9;

type ResolveFile = (input: string, value: string) => string;

/** What a shadow log adds to the report; the offline metrics feed the gate when no other data gives them. */
export interface ShadowComparison {
  sections: ReportSectionInput[];
  notes: string[];
  details: Record<string, unknown>;
  /** The challenger's and the champion's offline metrics on the same users, when `interactions` was given. */
  offline?: { challenger: Record<string, number>; champion: Record<string, number> };
}

/**
 * Compares the champion's and the challenger's served responses in `shadow-log` on the requests both answered:
 * agreement of the lists, latency and errors, and offline metrics against `interactions` when given.
 */
export async function compareShadowLog(
  inputs: ValidateModelInputs & { shadowLog: string },
  file: ResolveFile,
): Promise<ShadowComparison> {
  const challenger = inputs.modelVersion;
  if (challenger === undefined) {
    throw new InputError(
      'model-version',
      "is required with shadow-log: the challenger's version in the log",
      'v1.5.0',
    );
  }
  const path = file('shadow-log', inputs.shadowLog);
  const { pairs, unpaired, champion, others } = await asInput(async () => {
    const answers = await readShadowLog(path, inputs.shadowLog);
    const champion = championOf(
      answers.map((answer) => answer.version),
      challenger,
      inputs.shadowLog,
    );
    return { ...pairShadowAnswers(answers, champion, challenger, inputs.shadowLog), champion };
  });
  const agreement = shadowAgreement(pairs, inputs.k, RBO_P);
  const stats = { champion: servingStats(pairs, 'champion'), challenger: servingStats(pairs, 'challenger') };
  const offline = inputs.interactions ? await offlineMetrics(pairs, inputs, file) : undefined;
  const notes = [
    `Shadow log: ${pairs.length} request(s) answered by both ${champion} (champion) and ${challenger} (challenger); ${unpaired} answered by only one are left out.`,
    ...(others.length > 0 ? [`Responses of other versions (${others.join(', ')}) were ignored.`] : []),
  ];
  return {
    sections: [
      agreementSection(agreement, champion, challenger),
      servingSection(stats, champion, challenger),
      ...(offline ? [offlineSection(offline, champion, challenger)] : []),
    ],
    notes,
    details: { champion, challenger, pairs: pairs.length, unpaired, rboP: RBO_P, agreement, serving: stats },
    ...(offline ? { offline } : {}),
  };
}

/** The one version in the log besides the challenger; none or several is an error naming the input. */
function championOf(versions: string[], challenger: string, name: string): string {
  const found = new Set(versions);
  const others = [...found].filter((version) => version !== challenger);
  if (!found.has(challenger)) {
    const listed = others.join(', ') || 'none';
    throw new DataError(
      name,
      `has no response of '${challenger}' (model-version); versions in the log: ${listed}`,
    );
  }
  if (others.length === 1) return others[0] as string;
  const problem =
    others.length === 0
      ? `has responses of '${challenger}' (model-version) only; the champion's responses are missing`
      : `has responses of several versions besides '${challenger}' (${others.join(', ')}); keep only the champion's and the challenger's`;
  throw new DataError(name, problem);
}

/** The log's data errors, as faults of the shadow-log input. */
async function asInput<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof DataError) {
      throw new InputError('shadow-log', error.message, SHADOW_LOG_EXAMPLE_LINE);
    }
    throw error;
  }
}

/** Both versions' served lists as recommendations files (rank order), evaluated against the interactions. */
async function offlineMetrics(pairs: PairedRequest[], inputs: ValidateModelInputs, file: ResolveFile) {
  const folder = mkdtempSync(join(process.env.RUNNER_TEMP ?? tmpdir(), 'recsys-shadow-'));
  try {
    const evaluateSide = async (side: 'champion' | 'challenger') => {
      const path = join(folder, `${side}.jsonl`);
      const rows = [...listsPerUser(pairs, side)].flatMap(([user, items]) =>
        items.map((item, index) =>
          JSON.stringify({
            [inputs.userColumn]: user,
            [inputs.itemColumn]: item,
            [inputs.rankColumn]: index + 1,
          }),
        ),
      );
      writeFileSync(path, rows.length > 0 ? `${rows.join('\n')}\n` : '');
      const result = await withInputNames({ recommendations: { input: 'shadow-log' } }, () =>
        evaluate({
          recommendations: path,
          interactions: file('interactions', inputs.interactions ?? ''),
          k: inputs.k,
          columns: { user: inputs.userColumn, item: inputs.itemColumn, rank: inputs.rankColumn, score: '' },
          relevanceThreshold: inputs.relevanceThreshold,
          ndcgGain: inputs.ndcgGain,
        }),
      );
      return result.metrics;
    };
    return { champion: await evaluateSide('champion'), challenger: await evaluateSide('challenger') };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function agreementSection(
  rows: ShadowAgreementAtK[],
  champion: string,
  challenger: string,
): ReportSectionInput {
  return {
    kind: 'table',
    title: `Shadow agreement: ${challenger} against ${champion}`,
    intro: `Mean over the requests both answered successfully. RBO is rank-biased overlap (extrapolated, p = ${RBO_P}).`,
    columns: [
      { header: 'k', format: 'number' },
      { header: 'Jaccard@k', format: 'number' },
      { header: 'RBO', format: 'number' },
      { header: 'Identical top-k', format: 'number' },
    ],
    rows: rows.map((row) => [row.k, finite(row.jaccard), finite(row.rbo), finite(row.identicalShare)]),
  };
}

function servingSection(
  stats: { champion: ServingStats; challenger: ServingStats },
  champion: string,
  challenger: string,
): ReportSectionInput {
  const line = (label: string, pick: (side: ServingStats) => number): (string | number | null)[] => {
    const [a, b] = [pick(stats.champion), pick(stats.challenger)];
    return [label, finite(a), finite(b), finite(b - a)];
  };
  return {
    kind: 'table',
    title: 'Shadow latency and errors',
    intro: 'Over the requests both versions answered; quantiles interpolate linearly between ranks.',
    columns: [
      { header: 'Measure', format: 'text' },
      { header: `${champion} (champion)`, format: 'number' },
      { header: `${challenger} (challenger)`, format: 'number' },
      { header: 'Difference', format: 'number' },
    ],
    rows: [
      line('error rate', (side) => side.errorRate),
      line('mean latency (ms)', (side) => side.latencyMs.mean),
      line('p50 latency (ms)', (side) => side.latencyMs.p50),
      line('p95 latency (ms)', (side) => side.latencyMs.p95),
      line('p99 latency (ms)', (side) => side.latencyMs.p99),
    ],
  };
}

function offlineSection(
  offline: NonNullable<ShadowComparison['offline']>,
  champion: string,
  challenger: string,
): ReportSectionInput {
  return {
    kind: 'table',
    title: 'Shadow offline metrics against interactions',
    intro: "Each user's first request both versions answered successfully, judged against `interactions`.",
    columns: [
      { header: 'Metric', format: 'code' },
      { header: `${champion} (champion)`, format: 'number' },
      { header: `${challenger} (challenger)`, format: 'number' },
      { header: 'Relative change', format: 'number' },
    ],
    rows: Object.entries(offline.challenger).map(([name, value]) => {
      const base = offline.champion[name] ?? Number.NaN;
      return [name, finite(base), finite(value), finite(value / base - 1)];
    }),
  };
}

/** NaN (no requests, a zero base) is shown as "—". */
function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
