import { ConfigError } from '@recsys-actions/core';
import { isNumericOnly, type DriftMethod, type DriftOptions } from './options';

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

/**
 * The method for a column: its per-column method, else the global one when it suits the column's type (KS and
 * Wasserstein need numbers, so a categorical column keeps its automatic choice), else the automatic choice.
 */
export function chooseMethod(
  column: string,
  type: 'numeric' | 'categorical',
  options: DriftOptions,
  automatic: () => DriftMethod,
): DriftMethod {
  const own = options.perColumn?.[column]?.method;
  if (own !== undefined) {
    if (type === 'categorical' && isNumericOnly(own)) {
      throw new ConfigError(
        'perColumn',
        `sets ${own} for categorical column '${column}', but ${own} compares numbers; use chisquare, ztest, psi, kl, jensenshannon or hellinger`,
        `{"${column}": {"method": "jensenshannon"}}`,
      );
    }
    return own;
  }
  const global = options.method;
  if (global !== undefined && global !== 'auto' && !(type === 'categorical' && isNumericOnly(global)))
    return global;
  return automatic();
}
