import * as z from 'zod/mini';
import { parseYamlWith } from '@recsys-actions/core';
import { DRIFT_METHODS, type DriftOptions } from '@recsys-actions/drift';
import { COLUMN_TYPES_EXAMPLE, PER_COLUMN_EXAMPLE } from './inputs';

// Loaded in the step's second stage, only when column-types or per-column is given (inputs.ts).
const columnTypesSchema = z.record(z.string(), z.enum(['numeric', 'categorical']));
// Threshold ranges are checked by the drift package, which knows each method's scale.
const perColumnSchema = z.record(
  z.string(),
  z.strictObject({ method: z.optional(z.enum(DRIFT_METHODS)), threshold: z.optional(z.number()) }),
);

export function parseColumnTypes(text: string): NonNullable<DriftOptions['columnTypes']> {
  return parseYamlWith('column-types', text, columnTypesSchema, COLUMN_TYPES_EXAMPLE);
}

export function parsePerColumn(text: string): NonNullable<DriftOptions['perColumn']> {
  return parseYamlWith('per-column', text, perColumnSchema, PER_COLUMN_EXAMPLE);
}
