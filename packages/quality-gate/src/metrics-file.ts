import { readFileSync } from 'node:fs';
import { ConfigError } from '@recsys-actions/core';
import type { Metrics } from './evaluate';

const EXAMPLE = '\'{"ndcg@10": 0.45, "rmse": 0.82}\'';

/**
 * Reads a flat JSON object of metric names to numbers. A bad file is a {@link ConfigError} on `field`, the
 * gate's name for the file (`metrics` for the candidate's, `baseline` for the one compared against).
 */
export function readMetricsFile(field: 'metrics' | 'baseline', path: string, shownPath: string): Metrics {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : String(error);
    throw new ConfigError(
      field,
      `file '${shownPath}' is not valid JSON (${reason})`,
      `a file holding ${EXAMPLE}`,
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(
      field,
      `file '${shownPath}' must hold a JSON object of metric values`,
      `a file holding ${EXAMPLE}`,
    );
  }
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ConfigError(
        field,
        `file '${shownPath}' has a non-numeric value for '${name}' (${JSON.stringify(value)})`,
        `a file holding ${EXAMPLE}`,
      );
    }
  }
  return parsed as Metrics;
}
