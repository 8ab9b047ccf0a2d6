import { ConfigError, InputError } from '@recsys-actions/core';
import { configureMetricSource, type MetricSourceConfig } from '@recsys-actions/telemetry';
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
    throw error.toInputError(error.field === 'credentials' ? credentialInput(inputs) : INPUT);
  }
}

function credentialInput(inputs: CanaryGateInputs): string {
  return inputs.sourceToken ? 'source-token' : 'source-basic-auth';
}
