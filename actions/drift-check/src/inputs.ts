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
  yamlInput,
  type InputOfField,
  type InputReader,
  type InputSpec,
} from '@recsys-actions/core';
import {
  DEFAULT_DRIFT_SHARE,
  DEFAULT_PREDICTION_COLUMN,
  DRIFT_METHODS,
  validateDriftOptions,
  type DriftOptions,
} from '@recsys-actions/drift';
import { z } from 'zod';

const COLUMN_TYPES_EXAMPLE = "'{zip: categorical, age: numeric}'";
const PER_COLUMN_EXAMPLE = "'{price: {method: psi, threshold: 0.2}}'";

const columnTypesSchema = z.record(z.string(), z.enum(['numeric', 'categorical']));
// Threshold ranges are checked by the drift package, which knows each method's scale.
const perColumnSchema = z.record(
  z.string(),
  z.strictObject({ method: z.enum(DRIFT_METHODS).optional(), threshold: z.number().optional() }),
);

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
    reference: filePatterns('reference', 'data/reference/*.parquet'),
    current: filePatterns('current', 'data/current/*.parquet'),
    columns: listInput('columns', 'price,age,category'),
    columnTypes: yamlInput('column-types', columnTypesSchema, {
      example: COLUMN_TYPES_EXAMPLE,
      workspace,
      fallback: {},
    }),
    predictionColumn: textInput('prediction-column', DEFAULT_PREDICTION_COLUMN),
    method: choiceInput('method', ['auto', ...DRIFT_METHODS] as const, 'auto'),
    threshold: optionalNumberInput('threshold', { example: '0.1' }),
    perColumn: yamlInput('per-column', perColumnSchema, {
      example: PER_COLUMN_EXAMPLE,
      workspace,
      fallback: {},
    }),
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

/** Every input of drift-check, parsed and validated (drift options included) before any file is read. */
export function readDriftCheckInputs(read: InputReader, workspace: string) {
  const inputs = readInputs(inputSpecs(workspace), read);
  // GitHub refuses longer event types; failing here keeps a bad value from surfacing only once drift occurs.
  if (inputs.dispatchEvent && inputs.dispatchEvent.length > 100)
    throw new InputError('dispatch-event', 'must be at most 100 characters long', 'retrain');
  if (!inputs.token && (inputs.createIssue || inputs.dispatchEvent)) {
    throw new InputError(
      'token',
      'is required to manage the drift issue or send dispatch-event (or set create-issue: false)',
      '${{ github.token }}',
    );
  }
  const drift: DriftOptions = {
    columns: inputs.columns.length > 0 ? inputs.columns : undefined,
    columnTypes: inputs.columnTypes,
    predictionColumn: inputs.predictionColumn,
    method: inputs.method,
    threshold: inputs.threshold,
    perColumn: inputs.perColumn,
    sensitivity: inputs.sensitivity,
    driftShare: inputs.driftShare,
    onBadRows: inputs.onBadRows,
  };
  validateDriftOptions(drift);
  return { ...inputs, drift };
}

export type DriftCheckInputs = ReturnType<typeof readDriftCheckInputs>;

/** Paths or globs, comma- or newline-separated. */
function filePatterns(name: string, example: string): InputSpec<string[]> {
  const list = listInput(name, example);
  return {
    ...list,
    parse(raw) {
      const patterns = list.parse(raw);
      if (patterns.length === 0) throw new InputError(name, 'is required', example);
      return patterns;
    },
  };
}
