import { parseYamlWith } from '@recsys-actions/core';
import { thresholdsSchema, type Thresholds } from '@recsys-actions/quality-gate';
import { THRESHOLDS_EXAMPLE } from './inputs';

/** The `thresholds` input's YAML, checked against the quality gate's rules (loaded in the step's second stage). */
export function parseThresholds(text: string): Thresholds {
  return parseYamlWith('thresholds', text, thresholdsSchema(), THRESHOLDS_EXAMPLE);
}
