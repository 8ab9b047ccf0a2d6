import {
  booleanInput,
  choiceInput,
  durationInput,
  InputError,
  optionalInput,
  optionalText,
  readInputs,
  requiredText,
  type InputReader,
  type InputSpec,
} from '@recsys-actions/core';
import { environmentInput, optionalVersionInput } from '@recsys-actions/release';
import { PUSH_MODES } from '@recsys-actions/runtime/push-mode';

/**
 * How each input of rollback is read; `test/action-defaults.test.ts` holds their fallbacks to action.yml.
 * The router and ledger inputs are read by their backends in @recsys-actions/release, when the step opens them.
 */
export function inputSpecs() {
  return {
    environment: environmentInput(),
    fromVersion: optionalVersionInput('from-version', 'v1.5.0'),
    allowUnseen: booleanInput('allow-unseen', false),
    toVersion: optionalVersionInput('to-version', 'v1.4.0'),
    reason: requiredText('reason', "'p95 latency doubled after the 25 % step'"),
    confirm: optionalText('confirm', 'production'),
    healthUrl: healthUrlInput(),
    healthTimeoutMs: durationInput('health-timeout', 30_000, '30s'),
    push: choiceInput('push', PUSH_MODES, 'none'),
  };
}

/** Every input of rollback, checked before the router or the ledger is touched. */
export function readRollbackInputs(read: InputReader) {
  const inputs = readInputs(inputSpecs(), read);
  if (inputs.confirm !== undefined && inputs.confirm !== inputs.environment) {
    throw new InputError(
      'confirm',
      `must equal the environment name '${inputs.environment}' to confirm the rollback, got '${inputs.confirm}'`,
      inputs.environment,
    );
  }
  if (inputs.fromVersion !== undefined && inputs.fromVersion === inputs.toVersion) {
    throw new InputError(
      'to-version',
      `must differ from from-version (both are '${inputs.toVersion}')`,
      'v1.4.0',
    );
  }
  return inputs;
}

export type RollbackInputs = ReturnType<typeof readRollbackInputs>;

function healthUrlInput(): InputSpec<URL | undefined> {
  const example = 'https://recs.example.com/healthz';
  return optionalInput('health-url', example, (raw) => {
    const url = URL.canParse(raw) ? new URL(raw) : undefined;
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
      throw new InputError('health-url', `must be an http or https URL, got '${raw}'`, example);
    return url;
  });
}
