import {
  ANALYSIS_MODES,
  DEFAULT_OPTIONS,
  resolveOptions,
  TIMEOUT_OUTCOMES,
  type AnalysisOptions,
} from '@recsys-actions/canary';
import {
  booleanInput,
  choiceInput,
  durationInput,
  InputError,
  numberInput,
  optionalInput,
  optionalText,
  readInputs,
  requiredText,
  requiredYamlText,
  textInput,
  type InputOfField,
  type InputReader,
  type InputSpec,
} from '@recsys-actions/core';
import { isSafePlaceholderValue } from '@recsys-actions/telemetry';

export const CHECKS_EXAMPLE = "'[{name: error-rate, type: ratio, bad: errors_total, total: requests_total}]'";
export const SOURCE_CONFIG_EXAMPLE = "'address: http://prometheus.monitoring:9090'";

/** How each input of canary-gate is read; `test/action-defaults.test.ts` holds their fallbacks to action.yml. */
export function inputSpecs(workspace: string) {
  return {
    // Checked against the registered sources when the source is opened (source-config.ts): the registry loads
    // every source's code, which a bad input should not wait for.
    source: textInput('source', 'file'),
    sourceConfig: requiredYamlText('source-config', SOURCE_CONFIG_EXAMPLE, workspace),
    sourceToken: optionalText('source-token', '${{ secrets.PROM_TOKEN }}'),
    sourceBasicAuth: basicAuthInput(),
    checks: requiredYamlText('checks', CHECKS_EXAMPLE, workspace),
    analysis: choiceInput('analysis', ANALYSIS_MODES, DEFAULT_OPTIONS.analysis),
    intervalMs: durationInput('interval', 60_000, '60s'),
    settleMs: durationInput('settle', 5_000, '5s'),
    maxDurationMs: durationInput('max-duration', 900_000, '15m'),
    alpha: numberInput('alpha', { fallback: DEFAULT_OPTIONS.alpha, example: '0.05' }),
    failureLimit: numberInput('failure-limit', { fallback: DEFAULT_OPTIONS.failureLimit, example: '2' }),
    inconclusiveLimit: numberInput('inconclusive-limit', {
      fallback: DEFAULT_OPTIONS.inconclusiveLimit,
      example: '5',
    }),
    consecutiveErrorLimit: numberInput('consecutive-error-limit', {
      fallback: DEFAULT_OPTIONS.consecutiveErrorLimit,
      example: '4',
    }),
    minIntervals: numberInput('min-intervals', { fallback: DEFAULT_OPTIONS.minIntervals, example: '3' }),
    minSamples: numberInput('min-samples', { fallback: DEFAULT_OPTIONS.minSamples, example: '100' }),
    onTimeout: choiceInput('on-timeout', TIMEOUT_OUTCOMES, DEFAULT_OPTIONS.onTimeout),
    confidence: numberInput('confidence', { fallback: DEFAULT_OPTIONS.confidence, example: '0.98' }),
    pass: numberInput('pass-score', { fallback: DEFAULT_OPTIONS.pass, example: '75' }),
    marginal: numberInput('marginal-score', { fallback: DEFAULT_OPTIONS.marginal, example: '50' }),
    canaryVersion: queryLabelInput('canary-version', 'v2026.11.22'),
    baselineVersion: queryLabelInput('baseline-version', 'v2026.10.01'),
    environment: queryLabelInput('environment', 'production', 'production'),
    failOnRollback: booleanInput('fail-on-rollback', true),
    comment: choiceInput('comment', ['auto', 'true', 'false'] as const, 'auto'),
    token: optionalText('token', '${{ github.token }}'),
  };
}

/**
 * Every input of canary-gate, parsed and checked before the metric source is opened. The YAML of source-config and
 * checks is parsed (by zod and the YAML parser, loaded then) after the plain inputs are known to be good.
 */
export async function readCanaryGateInputs(read: InputReader, workspace: string) {
  const { sourceConfig, checks, ...inputs } = readInputs(inputSpecs(workspace), read);
  const { parseCheckList, parseSourceConfig } = await import('./structured-inputs');
  return { ...inputs, sourceConfig: parseSourceConfig(sourceConfig), checks: parseCheckList(checks) };
}

export type CanaryGateInputs = Awaited<ReturnType<typeof readCanaryGateInputs>>;

/** The input behind each field the canary package names in a ConfigError, with the example to show. */
export const CANARY_GATE_FIELDS: Readonly<Record<string, InputOfField>> = {
  checks: { input: 'checks' },
  analysis: { input: 'analysis' },
  alpha: { input: 'alpha' },
  failureLimit: { input: 'failure-limit' },
  inconclusiveLimit: { input: 'inconclusive-limit' },
  consecutiveErrorLimit: { input: 'consecutive-error-limit' },
  minIntervals: { input: 'min-intervals' },
  minSamples: { input: 'min-samples' },
  maxIntervals: { input: 'max-duration', example: '30m' },
  intervalSeconds: { input: 'interval' },
  onTimeout: { input: 'on-timeout' },
  confidence: { input: 'confidence' },
  pass: { input: 'pass-score' },
  marginal: { input: 'marginal-score' },
};

/** The analysis options, checked (alpha in (0, 0.5], ...); max-duration / interval gives maxIntervals. */
export function analysisOptions(inputs: CanaryGateInputs): AnalysisOptions {
  return resolveOptions({
    analysis: inputs.analysis,
    alpha: inputs.alpha,
    failureLimit: inputs.failureLimit,
    inconclusiveLimit: inputs.inconclusiveLimit,
    consecutiveErrorLimit: inputs.consecutiveErrorLimit,
    minIntervals: inputs.minIntervals,
    minSamples: inputs.minSamples,
    onTimeout: inputs.onTimeout,
    confidence: inputs.confidence,
    pass: inputs.pass,
    marginal: inputs.marginal,
    maxIntervals: Math.floor(inputs.maxDurationMs / inputs.intervalMs),
  });
}

/** A value that fills a query placeholder ({{version}}, {{environment}}), checked before any waiting. */
function queryLabelInput(name: string, example: string, fallback?: string): InputSpec<string> {
  const text = fallback === undefined ? requiredText(name, example) : textInput(name, fallback, example);
  return {
    ...text,
    parse(raw) {
      const value = text.parse(raw);
      if (!isSafePlaceholderValue(value))
        throw new InputError(name, 'must not contain quotes, backslashes or line breaks', example);
      return value;
    },
  };
}

/** `user:password`; the value itself never appears in an error, since it is a secret. */
function basicAuthInput(): InputSpec<{ username: string; password: string } | undefined> {
  const example = 'metrics-reader:${{ secrets.PROM_PASSWORD }}';
  return optionalInput('source-basic-auth', example, (raw) => {
    const colon = raw.indexOf(':');
    if (colon < 1) throw new InputError('source-basic-auth', 'must be user:password', example);
    return { username: raw.slice(0, colon), password: raw.slice(colon + 1) };
  });
}
