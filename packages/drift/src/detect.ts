import { ConfigError, DataError, UserFacingError } from '@recsys-actions/core';
import { columnNamesOf, expandPaths, type ColumnType } from '@recsys-actions/data';
import { categoricalColumnDrift, numericColumnDrift, type ColumnDrift } from './column-drift';
import {
  DEFAULT_DRIFT_SHARE,
  DEFAULT_PREDICTION_COLUMN,
  validateDriftOptions,
  type DriftOptions,
} from './options';
import { readProfile, tableOptions, type ColumnProfile, type DatasetProfile } from './profile';
import { columnFindings, datasetFindings, withSeverity, type QualityFinding } from './quality';

export interface DriftResult {
  /** True when the share of drifted columns (the prediction excluded) reaches `driftShare`. */
  datasetDrift: boolean;
  /** Drifted columns / compared columns, the prediction excluded. */
  driftShare: number;
  driftedColumns: string[];
  /** Most drifted first (by score, then name). */
  columns: ColumnDrift[];
  prediction?: ColumnDrift;
  quality: QualityFinding[];
  rows: { reference: number; current: number; skippedBadRows: number };
}

/**
 * Reads the current files (paths or globs) with the reference's column types, compares every selected column
 * with the method Evidently would choose (or the one configured) and gathers data-quality findings on the way.
 * The reference may still be being profiled (on a worker thread, say): the current files are then read at
 * the same time.
 */
export async function detectDrift(
  reference: DatasetProfile | Promise<DatasetProfile>,
  currentPaths: string[],
  options: DriftOptions,
): Promise<DriftResult> {
  if (reference instanceof Promise) return detectDriftWhileProfiling(reference, currentPaths, options);
  validateDriftOptions(options);
  const current = await readCurrent(reference, await expandCurrent(currentPaths), options);
  return compareProfiles(reference, current.profile, options, current.firstBadRow);
}

/**
 * Without the reference's types the current files are read with their own detected types; in the rare case a
 * compared column's type differs (text where the reference has numbers, say), they are read again the way
 * {@link readCurrent} always reads them, so the outcome, errors included, is the same as reading them after.
 */
async function detectDriftWhileProfiling(
  pendingReference: Promise<DatasetProfile>,
  currentPaths: string[],
  options: DriftOptions,
): Promise<DriftResult> {
  const guess = readCurrentWithDetectedTypes(currentPaths, options);
  // Both promises get their handlers now, so whichever fails first is the error and neither goes unhandled.
  const [reference, guessed] = await Promise.all([pendingReference, guess]);
  const current = typesAgree(reference, guessed.profile, options)
    ? guessed
    : await readCurrent(reference, guessed.files, options);
  return compareProfiles(reference, current.profile, options, current.firstBadRow);
}

interface CurrentRead {
  files: string[];
  profile: DatasetProfile;
  firstBadRow?: string;
}

async function expandCurrent(currentPaths: string[]): Promise<string[]> {
  const files = await expandPaths(currentPaths);
  if (files.length === 0) throw new ConfigError('currentPaths', 'names no file');
  return files;
}

/** The compared columns, each with the reference's type; a column the files lack is an error before reading. */
async function readCurrent(
  reference: DatasetProfile,
  files: string[],
  options: DriftOptions,
): Promise<CurrentRead> {
  const compared = comparedColumns(reference, options);
  const first = files[0] as string;
  const fileColumns = await columnNamesOf(first);
  for (const column of compared) {
    if (!fileColumns.includes(column.name)) {
      throw new DataError(
        first,
        `has no column '${column.name}', which the reference has and the check compares (its columns: ${fileColumns.join(', ')}); add it, or leave it out of columns`,
      );
    }
  }
  const columnTypes: Record<string, ColumnType> = Object.fromEntries(
    compared.map((column) => [column.name, column.type]),
  );
  const read = await readProfile(
    files,
    tableOptions(
      { ...options, columnTypes },
      compared.map((column) => column.name),
    ),
  );
  return { files, ...read };
}

/** The selected columns the files have (a missing one is left to {@link readCurrent} to report), types detected. */
async function readCurrentWithDetectedTypes(
  currentPaths: string[],
  options: DriftOptions,
): Promise<CurrentRead> {
  validateDriftOptions(options);
  const files = await expandCurrent(currentPaths);
  const fileColumns = await columnNamesOf(files[0] as string);
  const columns = (options.columns ?? fileColumns).filter((name) => fileColumns.includes(name));
  return { files, ...(await readProfile(files, tableOptions(options, columns))) };
}

function typesAgree(reference: DatasetProfile, current: DatasetProfile, options: DriftOptions): boolean {
  return comparedColumns(reference, options).every(
    (column) => current.columns.find((candidate) => candidate.name === column.name)?.type === column.type,
  );
}

/**
 * The drift decision on two profiles, e.g. a current profile built in a warehouse or by shards. The current
 * profile must hold every compared column with the reference's type. `firstBadRow` only words a finding.
 */
export function compareProfiles(
  reference: DatasetProfile,
  current: DatasetProfile,
  options: DriftOptions,
  firstBadRow?: string,
): DriftResult {
  validateDriftOptions(options);
  const findings = datasetFindings(reference, current, firstBadRow);
  const drifts: ColumnDrift[] = [];
  for (const referenceColumn of comparedColumns(reference, options)) {
    const currentColumn = current.columns.find((column) => column.name === referenceColumn.name);
    if (currentColumn === undefined) {
      throw new UserFacingError(
        `The current profile has no column '${referenceColumn.name}', which the check compares.`,
      );
    }
    requireValues(referenceColumn, 'reference');
    requireValues(currentColumn, 'current data');
    findings.push(...columnFindings(referenceColumn, currentColumn, reference.rows, current.rows));
    drifts.push(compareColumn(referenceColumn, currentColumn, options));
  }

  const predictionName = options.predictionColumn ?? DEFAULT_PREDICTION_COLUMN;
  const prediction = drifts.find((drift) => drift.column === predictionName);
  const columns = drifts
    .filter((drift) => drift !== prediction)
    .sort((a, b) => b.score - a.score || a.column.localeCompare(b.column));
  const driftedColumns = columns.filter((drift) => drift.drifted).map((drift) => drift.column);
  const driftShare = columns.length === 0 ? 0 : driftedColumns.length / columns.length;
  return {
    datasetDrift: columns.length > 0 && driftShare >= (options.driftShare ?? DEFAULT_DRIFT_SHARE),
    driftShare,
    driftedColumns,
    columns,
    ...(prediction === undefined ? {} : { prediction }),
    quality: withSeverity(findings, options),
    rows: { reference: reference.rows, current: current.rows, skippedBadRows: current.skippedBadRows },
  };
}

/** The reference columns to compare: `options.columns` (each must be in the reference), default all. */
function comparedColumns(reference: DatasetProfile, options: DriftOptions): ColumnProfile[] {
  if (options.columns === undefined) return [...reference.columns];
  return options.columns.map((name) => {
    const column = reference.columns.find((candidate) => candidate.name === name);
    if (column === undefined) {
      const known = reference.columns.map((candidate) => candidate.name);
      throw new ConfigError(
        'columns',
        `names '${name}', which the reference profile lacks (it has ${known.join(', ')})`,
        known.slice(0, 2).join(', '),
      );
    }
    return column;
  });
}

function requireValues(column: ColumnProfile, where: string): void {
  const values =
    column.type === 'numeric'
      ? (column.sketch ?? column.numeric).count
      : column.counts.counts.reduce((sum: number, count: number) => sum + count, 0) +
        (column.other?.count ?? 0);
  if (values === 0) {
    throw new DataError(
      where,
      'has no value in this column (every row is missing); drift needs at least one',
      {
        column: column.name,
      },
    );
  }
}

function compareColumn(reference: ColumnProfile, current: ColumnProfile, options: DriftOptions): ColumnDrift {
  if (reference.type === 'numeric' && current.type === 'numeric')
    return numericColumnDrift(reference, current, options);
  if (reference.type === 'categorical' && current.type === 'categorical') {
    return categoricalColumnDrift(reference, current, options);
  }
  // The current data is read with the reference's types, so this means a bug rather than bad data.
  throw new Error(`column '${reference.name}' changed type between reference and current`);
}
