import { DataError } from '@recsys-actions/core';
import type { PartialFile } from './merge';
import type { EvaluationPartial } from './partial-format';
import { RANKING_SUMS } from './ranking-metrics';

/**
 * Refuses partials that cannot be added up, naming the file and the field that differs from the first file:
 * different cut-offs, relevance or gain settings, inputs present in one shard and not another, or train data that
 * is not the same whole file in every shard. Returns the first partial, whose settings the others share.
 */
export function checkPartialsAgree(files: readonly PartialFile[]): EvaluationPartial {
  const [reference, ...others] = files;
  if (reference === undefined) throw new Error('no partial results to merge');
  checkShape(reference);
  for (const file of others) {
    checkShape(file);
    const differ = (field: string, mine: unknown, theirs: unknown, why: string) => {
      if (JSON.stringify(mine) === JSON.stringify(theirs)) return;
      throw new DataError(
        file.path,
        `has ${field} ${describe(mine)} but ${reference.path} has ${describe(theirs)} (field '${field}'); ${why}`,
      );
    };
    const sameSettings = 'run every shard with the same inputs';
    const mine = file.partial;
    const theirs = reference.partial;
    differ('k', mine.k, theirs.k, sameSettings);
    differ('ndcgGain', mine.ndcgGain, theirs.ndcgGain, sameSettings);
    differ('relevanceThreshold', mine.relevanceThreshold, theirs.relevanceThreshold, sameSettings);
    differ(
      'rating',
      present(mine.rating),
      present(theirs.rating),
      'give every shard rating-predictions or none',
    );
    differ(
      'train',
      present(mine.train),
      present(theirs.train),
      'give every shard train-interactions or none',
    );
    const wholeTrain =
      'coverage, novelty, diversity and serendipity need the whole train data: give every shard the same train-interactions file';
    differ('train.sha256', mine.train?.sha256, theirs.train?.sha256, wholeTrain);
    differ('train.diversity', present(mine.train?.diversity), present(theirs.train?.diversity), sameSettings);
    differ(
      'train.serendipity',
      present(mine.train?.serendipity),
      present(theirs.train?.serendipity),
      sameSettings,
    );
  }
  return reference.partial;
}

function present(value: unknown): 'present' | 'absent' {
  return value === null || value === undefined ? 'absent' : 'present';
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Every per-cut-off array must have one entry per cut-off, and the item table one entry per item. */
function checkShape({ path, partial }: PartialFile): void {
  const width = partial.k.length;
  const wrong = (field: string, length: number, expected: number) => {
    if (length !== expected)
      throw new DataError(path, `has ${length} entries in field '${field}', expected ${expected}`);
  };
  for (const name of RANKING_SUMS) wrong(`ranking.${name}`, partial.ranking[name].length, width);
  const train = partial.train;
  if (train === null) return;
  wrong('train.information', train.information.length, width);
  wrong('train.trainedRows', train.trainedRows.length, width);
  wrong('train.topRows', train.topRows.length, width);
  wrong('train.trained', train.trained.length, train.items.length);
  train.topRows.forEach((column, index) =>
    wrong(`train.topRows.${index}`, column.length, train.items.length),
  );
  for (const metric of ['diversity', 'serendipity'] as const) {
    wrong(`train.${metric}.sums`, train[metric]?.sums.length ?? width, width);
    wrong(`train.${metric}.users`, train[metric]?.users.length ?? width, width);
  }
}
