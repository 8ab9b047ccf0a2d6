import { ConfigError } from '@recsys-actions/core';
import type { ColumnType } from '@recsys-actions/data';

export const DRIFT_METHODS = [
  'ks',
  'chisquare',
  'chisquare-contingency',
  'ztest',
  'psi',
  'kl',
  'jensenshannon',
  'wasserstein',
  'hellinger',
] as const;
export type DriftMethod = (typeof DRIFT_METHODS)[number];

export const QUALITY_KINDS = [
  'missing-values',
  'new-category',
  'out-of-range',
  'row-count',
  'missing-column',
  'new-column',
  'bad-rows',
] as const;
export type QualityKind = (typeof QUALITY_KINDS)[number];

/**
 * A column keeps its exact values (numeric) or every category up to this many values; above, it is sketched.
 * Up to here every statistic is exact and equal to SciPy's and Evidently's.
 */
export const EXACT_MAX_VALUES = 1_000_000;

export type Sensitivity = 'low' | 'medium' | 'high';

export interface DriftOptions {
  /** Columns to compare; default: every reference column. */
  columns?: string[];
  columnTypes?: Record<string, ColumnType>;
  /** Default 'prediction'; compared and reported on its own, not counted in the dataset drift share. */
  predictionColumn?: string;
  method?: DriftMethod | 'auto';
  /** The threshold of `method`; needs a method other than 'auto'. */
  threshold?: number;
  perColumn?: Record<string, { method?: DriftMethod; threshold?: number }>;
  sensitivity?: Sensitivity;
  /** Dataset drift when at least this share of the compared columns drifted; default 0.5. */
  driftShare?: number;
  onBadRows?: 'fail' | 'skip';
  /** Quality findings of these kinds are critical instead of warnings. */
  criticalQuality?: QualityKind[];
}

/** Tests whose statistic is a p-value: drift when it is small. The others are distances: drift when large. */
const P_VALUE_METHODS: ReadonlySet<DriftMethod> = new Set([
  'ks',
  'chisquare',
  'chisquare-contingency',
  'ztest',
]);

export function isPValueMethod(method: DriftMethod): boolean {
  return P_VALUE_METHODS.has(method);
}

/** Methods that need numbers: they compare sorted values, which categories do not have. */
export function isNumericOnly(method: DriftMethod): boolean {
  return method === 'ks' || method === 'wasserstein';
}

/**
 * Tests on counts per value. Evidently allows them on categorical columns only and picks them itself for numeric
 * columns of at most 5 values; beyond this many distinct numbers a count per value is no longer a distribution
 * (nearly every count is 1), so such a column cannot take them.
 */
export const MAX_DISTINCT_FOR_COUNT_TESTS = 1000;

export function isCountTest(method: DriftMethod): boolean {
  return method === 'chisquare' || method === 'chisquare-contingency' || method === 'ztest';
}

export const DEFAULT_P_VALUE = 0.05;
export const DEFAULT_DISTANCE = 0.1;
export const DEFAULT_DRIFT_SHARE = 0.5;
export const DEFAULT_PREDICTION_COLUMN = 'prediction';

/** Sensitivity presets: the p-value threshold of the tests, and the factor on every distance threshold. */
export const SENSITIVITY: Readonly<Record<Sensitivity, { pValue: number; distanceFactor: number }>> = {
  low: { pValue: 0.01, distanceFactor: 1.5 },
  medium: { pValue: DEFAULT_P_VALUE, distanceFactor: 1 },
  high: { pValue: 0.1, distanceFactor: 0.5 },
};

/** The threshold a column uses: its own, else the global one for its method, else the sensitivity preset. */
export function thresholdFor(column: string, method: DriftMethod, options: DriftOptions): number {
  const own = options.perColumn?.[column]?.threshold;
  if (own !== undefined) return own;
  if (options.threshold !== undefined && options.method === method) return options.threshold;
  const preset = SENSITIVITY[options.sensitivity ?? 'medium'];
  return isPValueMethod(method) ? preset.pValue : DEFAULT_DISTANCE * preset.distanceFactor;
}

/** Rejects options that cannot mean anything with a {@link ConfigError} naming the option (`driftShare`, `perColumn`). */
export function validateDriftOptions(options: DriftOptions): void {
  const { method, threshold, sensitivity, driftShare } = options;
  if (method !== undefined && method !== 'auto') checkMethod('method', method);
  if (threshold !== undefined) {
    if (method === undefined || method === 'auto') {
      throw new ConfigError(
        'threshold',
        'applies to one test, so it needs a method other than auto; use sensitivity to scale every test',
        'threshold: 0.2 with method: psi',
      );
    }
    checkThreshold('threshold', threshold, method);
  }
  if (sensitivity !== undefined && !(sensitivity in SENSITIVITY)) {
    throw new ConfigError('sensitivity', `must be low, medium or high, not '${String(sensitivity)}'`, 'high');
  }
  if (driftShare !== undefined && !(driftShare > 0 && driftShare <= 1)) {
    throw new ConfigError('driftShare', `must be a share above 0 and at most 1, not ${driftShare}`, '0.5');
  }
  for (const [column, override] of Object.entries(options.perColumn ?? {})) {
    if (override.method !== undefined) checkMethod('perColumn', override.method, column);
    if (override.threshold !== undefined) {
      checkThreshold('perColumn', override.threshold, override.method ?? method, column);
    }
  }
  for (const kind of options.criticalQuality ?? []) {
    if (!(QUALITY_KINDS as readonly string[]).includes(kind)) {
      throw new ConfigError(
        'criticalQuality',
        `names unknown finding '${kind}'; use ${QUALITY_KINDS.join(', ')}`,
        'row-count, new-column',
      );
    }
  }
}

function checkMethod(field: string, method: string, column?: string): void {
  if (!(DRIFT_METHODS as readonly string[]).includes(method)) {
    const where = column === undefined ? '' : ` for column '${column}'`;
    throw new ConfigError(
      field,
      `names unknown method '${method}'${where}; use auto, ${DRIFT_METHODS.join(', ')}`,
      column === undefined ? 'wasserstein' : `{"${column}": {"method": "psi"}}`,
    );
  }
}

/**
 * p-value thresholds lie in (0, 1); distance thresholds are positive. Without a known method (a per-column
 * threshold under auto) only positivity can be checked here.
 */
function checkThreshold(
  field: string,
  threshold: number,
  method: DriftMethod | 'auto' | undefined,
  column?: string,
): void {
  const pValue = method !== undefined && method !== 'auto' && isPValueMethod(method);
  const valid = Number.isFinite(threshold) && threshold > 0 && (!pValue || threshold < 1);
  if (valid) return;
  const where = column === undefined ? '' : ` for column '${column}'`;
  const range = pValue ? `a p-value between 0 and 1 (exclusive) for ${method}` : 'a positive number';
  throw new ConfigError(
    field,
    `must be ${range}${where}, not ${threshold}`,
    column === undefined ? (pValue ? '0.05' : '0.1') : `{"${column}": {"method": "psi", "threshold": 0.2}}`,
  );
}
