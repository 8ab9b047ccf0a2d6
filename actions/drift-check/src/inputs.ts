import {
  booleanInput,
  choiceInput,
  InputError,
  listInput,
  optionalNumberInput,
  optionalText,
  readInputs,
  numberInput,
  textInput,
  yamlText,
  type InputOfField,
  type InputReader,
} from '@recsys-actions/core';
import {
  DEFAULT_DRIFT_SHARE,
  DEFAULT_PREDICTION_COLUMN,
  DRIFT_METHODS,
  validateDriftOptions,
  type DriftOptions,
} from '@recsys-actions/drift';

const REFERENCE_EXAMPLE = 'data/reference/*.parquet';
const CURRENT_EXAMPLE = 'data/current/*.parquet';
export const COLUMN_TYPES_EXAMPLE = "'{zip: categorical, age: numeric}'";
export const PER_COLUMN_EXAMPLE = "'{price: {method: psi, threshold: 0.2}}'";

/** The input behind each field the drift package names in a ConfigError, with the example to show. */
export const DRIFT_CHECK_FIELDS: Readonly<Record<string, InputOfField>> = {
  currentPaths: { input: 'current', example: 'data/current/*.parquet' },
  columns: { input: 'columns' },
  method: { input: 'method' },
  threshold: { input: 'threshold' },
  perColumn: { input: 'per-column' },
  sensitivity: { input: 'sensitivity' },
  driftShare: { input: 'drift-share' },
};

/** How each input of drift-check is read; `test/action-defaults.test.ts` holds their fallbacks to action.yml. */
export function inputSpecs(workspace: string) {
  return {
    reference: listInput('reference', REFERENCE_EXAMPLE),
    current: listInput('current', CURRENT_EXAMPLE),
    referenceProfiles: listInput('reference-profiles', 'profiles/reference-*.json'),
    currentProfiles: listInput('current-profiles', 'profiles/current-*.json'),
    profileOnly: booleanInput('profile-only', false),
    profilePath: optionalText('profile-path', 'profiles/current-${{ matrix.shard }}.json'),
    columns: listInput('columns', 'price,age,category'),
    columnTypes: yamlText('column-types', COLUMN_TYPES_EXAMPLE, workspace),
    predictionColumn: textInput('prediction-column', DEFAULT_PREDICTION_COLUMN),
    method: choiceInput('method', ['auto', ...DRIFT_METHODS] as const, 'auto'),
    threshold: optionalNumberInput('threshold', { example: '0.1' }),
    perColumn: yamlText('per-column', PER_COLUMN_EXAMPLE, workspace),
    sensitivity: choiceInput('sensitivity', ['low', 'medium', 'high'] as const, 'medium'),
    driftShare: numberInput('drift-share', { fallback: DEFAULT_DRIFT_SHARE, example: '0.5' }),
    onBadRows: choiceInput('on-bad-rows', ['fail', 'skip'] as const, 'fail'),
    failOnDrift: booleanInput('fail-on-drift', false),
    createIssue: booleanInput('create-issue', true),
    issueLabels: listInput('issue-labels', 'drift,ml', ['drift']),
    dataset: textInput('dataset', 'features'),
    environment: textInput('environment', 'production'),
    dispatchEvent: optionalText('dispatch-event', 'retrain'),
    cacheReference: booleanInput('cache-reference', true),
    token: optionalText('token', '${{ github.token }}'),
  };
}

/**
 * Every input of drift-check, parsed and validated (drift options included) before any file is read. zod and the
 * YAML parser load only when column-types or per-column is given, to parse it.
 */
export async function readDriftCheckInputs(read: InputReader, workspace: string) {
  const {
    columnTypes: columnTypesText,
    perColumn: perColumnText,
    ...inputs
  } = readInputs(inputSpecs(workspace), read);
  const { columnTypes, perColumn } = await columnSettings(columnTypesText, perColumnText);
  // GitHub refuses longer event types; failing here keeps a bad value from surfacing only once drift occurs.
  if (inputs.dispatchEvent && inputs.dispatchEvent.length > 100)
    throw new InputError('dispatch-event', 'must be at most 100 characters long', 'retrain');
  checkDataSources(inputs);
  if (!inputs.profileOnly && !inputs.token && (inputs.createIssue || inputs.dispatchEvent)) {
    throw new InputError(
      'token',
      'is required to manage the drift issue or send dispatch-event (or set create-issue: false)',
      '${{ github.token }}',
    );
  }
  const drift: DriftOptions = {
    columns: inputs.columns.length > 0 ? inputs.columns : undefined,
    columnTypes,
    predictionColumn: inputs.predictionColumn,
    method: inputs.method,
    threshold: inputs.threshold,
    perColumn,
    sensitivity: inputs.sensitivity,
    driftShare: inputs.driftShare,
    onBadRows: inputs.onBadRows,
  };
  validateDriftOptions(drift);
  return { ...inputs, drift };
}

export type DriftCheckInputs = Awaited<ReturnType<typeof readDriftCheckInputs>>;

async function columnSettings(
  columnTypesText: string | undefined,
  perColumnText: string | undefined,
): Promise<Pick<DriftOptions, 'columnTypes' | 'perColumn'>> {
  if (columnTypesText === undefined && perColumnText === undefined) return { columnTypes: {}, perColumn: {} };
  const { parseColumnTypes, parsePerColumn } = await import('./column-settings');
  return {
    columnTypes: columnTypesText === undefined ? {} : parseColumnTypes(columnTypesText),
    perColumn: perColumnText === undefined ? {} : parsePerColumn(perColumnText),
  };
}

interface DataSources {
  reference: string[];
  current: string[];
  referenceProfiles: string[];
  currentProfiles: string[];
  profileOnly: boolean;
}

/**
 * Each side comes from data files or from profiles, never both; `profile-only` profiles the `current` files
 * (a shard) and compares nothing, so it takes no reference.
 */
function checkDataSources(inputs: DataSources): void {
  if (inputs.profileOnly) {
    if (inputs.current.length === 0)
      throw new InputError(
        'current',
        'is required with profile-only: true (the files of this shard)',
        CURRENT_EXAMPLE,
      );
    for (const [input, given] of [
      ['reference', inputs.reference],
      ['reference-profiles', inputs.referenceProfiles],
      ['current-profiles', inputs.currentProfiles],
    ] as const) {
      if (given.length > 0)
        throw new InputError(
          input,
          'cannot be combined with profile-only: true, which only profiles the current files (a shard); leave it out',
          undefined,
        );
    }
    return;
  }
  oneSource('reference', inputs.reference, inputs.referenceProfiles, REFERENCE_EXAMPLE);
  oneSource('current', inputs.current, inputs.currentProfiles, CURRENT_EXAMPLE);
}

function oneSource(
  side: 'reference' | 'current',
  files: string[],
  profiles: string[],
  example: string,
): void {
  if (files.length > 0 && profiles.length > 0) {
    throw new InputError(
      `${side}-profiles`,
      `cannot be combined with ${side}; give data files or profiles, not both`,
      `profiles/${side}-*.json`,
    );
  }
  if (files.length === 0 && profiles.length === 0) {
    throw new InputError(side, `is required (or ${side}-profiles, a glob of profile files)`, example);
  }
}
