import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { DataError, describeZodError, lazily } from '@recsys-actions/core';
import { identicalTopK, jaccardAtK, rankBiasedOverlap } from './shadow-agreement';

const entrySchema = lazily(() =>
  z
    .object({
      request_id: z.union([z.string().min(1), z.number()]).transform(String),
      user: z.union([z.string().min(1), z.number()]).transform(String),
      version: z.string().min(1),
      items: z.array(
        z.object({ item: z.union([z.string().min(1), z.number()]).transform(String), score: z.number() }),
      ),
      latency_ms: z.number().min(0),
      /** An HTTP status (2xx answered) or a word (`ok` answered, anything else failed). */
      status: z.union([z.number().int(), z.string().min(1)]),
    })
    .loose(),
);

/** One response a version served (or failed to serve) for one request. */
export interface ShadowAnswer {
  requestId: string;
  user: string;
  version: string;
  /** The served list, best first. */
  items: string[];
  latencyMs: number;
  ok: boolean;
}

/**
 * Reads a JSON Lines log of served responses, one object per line (blank lines skipped). A line that is not
 * JSON, or not a response, is a DataError naming `name` and the line.
 */
export async function readShadowLog(path: string, name: string): Promise<ShadowAnswer[]> {
  const answers: ShadowAnswer[] = [];
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new DataError(
        name,
        `is not JSON (${(error as Error).message}); each line holds one response, e.g. ${EXAMPLE_LINE}`,
        { line },
      );
    }
    const parsed = entrySchema().safeParse(value);
    if (!parsed.success) {
      throw new DataError(
        name,
        `is not a served response: ${describeZodError(parsed.error)}; e.g. ${EXAMPLE_LINE}`,
        { line },
      );
    }
    const entry = parsed.data;
    answers.push({
      requestId: entry.request_id,
      user: entry.user,
      version: entry.version,
      items: entry.items.map((scored) => scored.item),
      latencyMs: entry.latency_ms,
      ok:
        typeof entry.status === 'number' ? entry.status >= 200 && entry.status < 300 : entry.status === 'ok',
    });
  }
  return answers;
}

export const EXAMPLE_LINE =
  '{"request_id": "r1", "user": "u1", "version": "v2", "items": [{"item": "i9", "score": 0.8}], "latency_ms": 12.5, "status": 200}';

/** A request both versions answered: the champion's and the challenger's response. */
export interface PairedRequest {
  requestId: string;
  user: string;
  champion: ShadowAnswer;
  challenger: ShadowAnswer;
}

/**
 * Pairs the champion's and the challenger's answers by request id; the first answer of a version to a request
 * counts. Throws a DataError when either version has no answer in the log at all.
 */
export function pairShadowAnswers(
  answers: readonly ShadowAnswer[],
  champion: string,
  challenger: string,
  name: string,
): { pairs: PairedRequest[]; unpaired: number; others: string[] } {
  const versions = new Set(answers.map((answer) => answer.version));
  for (const version of [champion, challenger]) {
    if (!versions.has(version)) {
      const found = [...versions].join(', ') || 'none';
      throw new DataError(
        name,
        `has no response from version '${version}' (versions in the log: ${found}); log the answers of both the champion and the challenger`,
      );
    }
  }
  const byRequest = new Map<string, { champion?: ShadowAnswer; challenger?: ShadowAnswer }>();
  for (const answer of answers) {
    const side =
      answer.version === champion ? 'champion' : answer.version === challenger ? 'challenger' : undefined;
    if (side === undefined) continue;
    const request = byRequest.get(answer.requestId) ?? {};
    request[side] ??= answer;
    byRequest.set(answer.requestId, request);
  }
  const pairs: PairedRequest[] = [];
  for (const [requestId, request] of byRequest) {
    if (request.champion && request.challenger) {
      pairs.push({
        requestId,
        user: request.champion.user,
        champion: request.champion,
        challenger: request.challenger,
      });
    }
  }
  const others = [...versions].filter((version) => version !== champion && version !== challenger);
  return { pairs, unpaired: byRequest.size - pairs.length, others };
}

export interface AgreementAtK {
  k: number;
  jaccard: number;
  identicalShare: number;
  rbo: number;
}

/** Mean agreement over the pairs both versions answered successfully, at every k. */
export function shadowAgreement(
  pairs: readonly PairedRequest[],
  cutoffs: readonly number[],
  rboP: number,
): AgreementAtK[] {
  const answered = pairs.filter((pair) => pair.champion.ok && pair.challenger.ok);
  return cutoffs.map((k) => {
    let jaccard = 0;
    let identical = 0;
    let rbo = 0;
    for (const { champion, challenger } of answered) {
      jaccard += jaccardAtK(champion.items, challenger.items, k);
      identical += identicalTopK(champion.items, challenger.items, k) ? 1 : 0;
      rbo += rankBiasedOverlap(champion.items, challenger.items, rboP, k);
    }
    const n = answered.length || Number.NaN;
    return { k, jaccard: jaccard / n, identicalShare: identical / n, rbo: rbo / n };
  });
}

export interface ServingStats {
  requests: number;
  errors: number;
  errorRate: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number };
}

/** Errors and latency of one side over the paired requests; quantiles interpolate linearly (NumPy's default). */
export function servingStats(pairs: readonly PairedRequest[], side: 'champion' | 'challenger'): ServingStats {
  const answers = pairs.map((pair) => pair[side]);
  const latencies = Float64Array.from(answers.map((answer) => answer.latencyMs)).sort();
  const errors = answers.filter((answer) => !answer.ok).length;
  const mean = latencies.reduce((sum, value) => sum + value, 0) / (latencies.length || Number.NaN);
  return {
    requests: answers.length,
    errors,
    errorRate: errors / (answers.length || Number.NaN),
    latencyMs: {
      mean,
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      p99: quantile(latencies, 0.99),
    },
  };
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const lower = sorted[below] as number;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return lower + (upper - lower) * (position - below);
}

/**
 * Each user's list from `side` for offline metrics: per user, the first request both versions answered
 * successfully, so both versions are judged on the same requests.
 */
export function listsPerUser(
  pairs: readonly PairedRequest[],
  side: 'champion' | 'challenger',
): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const pair of pairs) {
    if (pair.champion.ok && pair.challenger.ok && !lists.has(pair.user))
      lists.set(pair.user, pair[side].items);
  }
  return lists;
}
