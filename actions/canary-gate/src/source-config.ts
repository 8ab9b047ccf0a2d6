import { choiceInput, ConfigError, InputError } from '@recsys-actions/core';
import { configureMetricSource, metricSourceTypes, type MetricSourceConfig } from '@recsys-actions/telemetry';
import type { CanaryGateInputs } from './inputs';

const INPUT = 'source-config';

/**
 * The metric source's configuration from `source`, `source-config` and the credentials inputs. The source's
 * backend checks it and folds in the workspace, the canary's start and the credentials.
 */
export function sourceConfig(
  inputs: CanaryGateInputs,
  workspace: string,
  startSeconds: number,
): MetricSourceConfig {
  choiceInput('source', metricSourceTypes(), 'file').parse(inputs.source);
  const given = inputs.sourceConfig;
  if (given.source !== undefined && given.source !== inputs.source)
    throw new InputError(
      INPUT,
      `sets source '${String(given.source)}' while the source input is '${inputs.source}'; set it in the source input only`,
      "'address: http://prometheus.monitoring:9090'",
    );
  if (inputs.sourceToken && inputs.sourceBasicAuth)
    throw new InputError('source-basic-auth', 'cannot be combined with source-token; set one of them');
  const credentials = { bearerToken: inputs.sourceToken, basicAuth: inputs.sourceBasicAuth };
  try {
    return configureMetricSource(
      { ...given, source: inputs.source },
      { name: INPUT, workspace, startSeconds, credentials },
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Only credentials can be refused outside source-config; they came from whichever input was set.
    if (error.field === 'credentials') throw error.toInputError(credentialInput(inputs));
    const fitting = otherSourceAccepting(given, inputs.source, { workspace, startSeconds, credentials });
    if (fitting)
      throw new InputError(
        'source',
        `is '${inputs.source}', but source-config is a ${fitting} config; set the source input`,
        fitting,
      );
    // The backends' examples carry `source:`, which belongs in the source input here, not in source-config.
    throw new InputError(
      INPUT,
      error.describe((field) => field),
      error.example?.replace(/\bsource: [\w-]+,\s*/, ''),
    );
  }
}

/** The first other source type whose backend takes `given` as it is, e.g. prometheus for `address: ...`. */
function otherSourceAccepting(
  given: Record<string, unknown>,
  chosen: string,
  setup: Omit<Parameters<typeof configureMetricSource>[1], 'name'>,
): string | undefined {
  return metricSourceTypes().find((type) => {
    if (type === chosen) return false;
    try {
      configureMetricSource({ ...given, source: type }, { ...setup, name: INPUT });
      return true;
    } catch {
      return false;
    }
  });
}

function credentialInput(inputs: CanaryGateInputs): string {
  return inputs.sourceToken ? 'source-token' : 'source-basic-auth';
}
