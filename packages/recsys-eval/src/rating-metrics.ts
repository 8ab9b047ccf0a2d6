import { DataError } from '@recsys-actions/core';
import type { TabularFormat } from '@recsys-actions/data';
import { readRows } from '@recsys-actions/data';
import type { GroundTruth } from './ground-truth';
import { findInteraction } from './ground-truth';
import { Float64Column } from './growable';
import type { TextInterner } from '@recsys-actions/data';
import type { ColumnNames } from './options';

export interface RatingErrors {
  readonly rmse: number;
  readonly mae: number;
  /** Σ (prediction − rating)² and Σ |prediction − rating|: the sums shards add up. */
  readonly squaredError: number;
  readonly absoluteError: number;
  readonly predictionRows: number;
  /** Predictions whose (user, item) has a rating in the ground truth: the inner join. */
  readonly matchedRows: number;
  /** The joined pairs in file order: the truth's rating and the prediction of each matched row. */
  readonly ratings: Float64Array;
  readonly predictions: Float64Array;
}

const USER = 0;
const ITEM = 1;
const PREDICTION = 2;

/** RMSE and MAE of predictions against interaction ratings, over the inner join on (user, item). */
export async function ratingErrors(
  path: string,
  format: TabularFormat | undefined,
  columns: ColumnNames,
  truth: GroundTruth,
  users: TextInterner,
  items: TextInterner,
): Promise<RatingErrors> {
  const predictedLine = new Int32Array(truth.rows);
  const ratings = new Float64Column();
  const predictions = new Float64Column();
  let squared = 0;
  let absolute = 0;
  let matchedRows = 0;
  const summary = await readRows(
    path,
    { columns: [columns.user, columns.item, columns.prediction], format },
    (row) => {
      const user = users.lookup(row.text(USER));
      const item = items.lookup(row.text(ITEM));
      if (user === undefined || item === undefined) return;
      const position = findInteraction(truth, user, item);
      if (position === -1) return;
      if (predictedLine[position] !== 0) {
        throw new DataError(
          path,
          `repeats user '${users.name(user)}' and item '${items.name(item)}' (first on line ${predictedLine[position]}); predict each pair once`,
          { line: row.line },
        );
      }
      predictedLine[position] = row.line;
      const predicted = row.number(PREDICTION);
      ratings.push(truth.ratings[position] as number);
      predictions.push(predicted);
      const error = predicted - (truth.ratings[position] as number);
      squared += error * error;
      absolute += Math.abs(error);
      matchedRows++;
    },
  );
  return {
    rmse: Math.sqrt(squared / matchedRows),
    mae: absolute / matchedRows,
    squaredError: squared,
    absoluteError: absolute,
    predictionRows: summary.rows,
    matchedRows,
    ratings: ratings.data.subarray(0, matchedRows),
    predictions: predictions.data.subarray(0, matchedRows),
  };
}
