import { ConfigError } from '@recsys-actions/core';
import {
  isCountTest,
  isNumericOnly,
  MAX_DISTINCT_FOR_COUNT_TESTS,
  type DriftMethod,
  type DriftOptions,
} from './options';

/** Evidently switches from tests to distances above this many reference values (its `reference.shape[0] <= 1000`). */
export const SMALL_SAMPLE_MAX_ROWS = 1000;

/**
 * Evidently's default test for a column, from the reference's non-missing value count and the number of
 * distinct values in reference ∪ current (only whether it exceeds 2 or 5 matters).
 */
export function autoMethod(
  type: 'numeric' | 'categorical',
  referenceValues: number,
  distinct: number,
): DriftMethod {
  if (referenceValues <= SMALL_SAMPLE_MAX_ROWS) {
    if (type === 'numeric' && distinct > 5) return 'ks';
    return distinct > 2 ? 'chisquare' : 'ztest';
  }
  return type === 'numeric' && distinct > 5 ? 'wasserstein' : 'jensenshannon';
}

/** What a method needs to know of a column to tell whether it can be applied. */
export interface ColumnFacts {
  readonly name: string;
  readonly type: 'numeric' | 'categorical';
  /** Distinct values of reference ∪ current, counted no further than `limit`. */
  readonly countDistinct: (limit: number) => number;
}

/** Why the column cannot take the method, or undefined when it can. */
function unsuitability(method: DriftMethod, column: ColumnFacts): string | undefined {
  if (column.type === 'categorical' && isNumericOnly(method)) return `${method} compares numbers`;
  if (
    column.type === 'numeric' &&
    isCountTest(method) &&
    column.countDistinct(MAX_DISTINCT_FOR_COUNT_TESTS + 1) > MAX_DISTINCT_FOR_COUNT_TESTS
  ) {
    return `${method} counts each value and the column has more than ${MAX_DISTINCT_FOR_COUNT_TESTS} distinct numbers`;
  }
  return undefined;
}

const SUITABLE_INSTEAD: Record<'numeric' | 'categorical', string> = {
  numeric: 'ks, wasserstein, psi, kl, jensenshannon or hellinger',
  categorical: 'chisquare, chisquare-contingency, ztest, psi, kl, jensenshannon or hellinger',
};

/**
 * The method for a column: its per-column method (a ConfigError when the column cannot take it), else the global
 * one when the column can take it (KS and Wasserstein need numbers, count tests need few distinct values), else
 * the automatic choice.
 */
export function chooseMethod(
  column: ColumnFacts,
  options: DriftOptions,
  automatic: () => DriftMethod,
): DriftMethod {
  const own = options.perColumn?.[column.name]?.method;
  if (own !== undefined) {
    const reason = unsuitability(own, column);
    if (reason !== undefined) {
      throw new ConfigError(
        'perColumn',
        `sets ${own} for ${column.type} column '${column.name}', but ${reason}; use ${SUITABLE_INSTEAD[column.type]}`,
        `{"${column.name}": {"method": "jensenshannon"}}`,
      );
    }
    return own;
  }
  const global = options.method;
  if (global !== undefined && global !== 'auto' && unsuitability(global, column) === undefined) return global;
  return automatic();
}
