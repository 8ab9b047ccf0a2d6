import {
  choiceInput,
  InputError,
  numberInput,
  optionalInput,
  readInputs,
  type InputReader,
  type InputSpec,
} from '@recsys-actions/core';
import {
  environmentInput,
  optionalVersionInput,
  readLedgerSelection,
  readRouterConfig,
  versionInput,
} from '@recsys-actions/release';
import { PUSH_MODES } from '@recsys-actions/runtime/release-targets';
import { guardInputSpecs } from './guards';

/**
 * How each input of shift-traffic is read; `test/action-defaults.test.ts` holds their fallbacks to action.yml.
 * The router and ledger inputs are read by their backends in @recsys-actions/release.
 */
export function inputSpecs() {
  return {
    environment: environmentInput(),
    stableVersion: stableVersionInput(),
    canaryVersion: versionInput('canary-version', 'v1.5.0'),
    canaryWeight: numberInput('canary-weight', { min: 0, max: 100, integer: true, example: '10' }),
    stickiness: choiceInput('stickiness', ['request', 'user'] as const, 'request'),
    modelSha256: sha256Input(),
    push: choiceInput('push', PUSH_MODES, 'none'),
    ...guardInputSpecs(),
  };
}

/** Every input of shift-traffic, checked before the router or the ledger is touched. */
export function readShiftInputs(read: InputReader, workspace: string) {
  const inputs = readInputs(inputSpecs(), read);
  if (inputs.stableVersion !== undefined && inputs.canaryVersion === inputs.stableVersion) {
    throw new InputError(
      'canary-version',
      `must differ from stable-version (both are '${inputs.stableVersion}')`,
      'v1.5.0',
    );
  }
  if (inputs.push === 'pr' && inputs.canaryWeight !== 100) {
    throw new InputError(
      'push',
      `can be 'pr' only for a switch to 100 % (canary-weight is ${inputs.canaryWeight}): a canary step must be ` +
        'live while its gate judges it, so it is pushed to the branch',
      'branch',
    );
  }
  return { ...inputs, router: readRouterConfig(read, workspace), ledger: readLedgerSelection(read) };
}

export type ShiftInputs = ReturnType<typeof readShiftInputs>;

/** `live` (the default) or empty: whatever the router serves now, decided under the step lock. */
function stableVersionInput(): InputSpec<string | undefined> {
  const named = optionalVersionInput('stable-version', 'v1.4.0');
  return { ...named, parse: (raw) => (raw === 'live' ? undefined : named.parse(raw)) };
}

function sha256Input(): InputSpec<string | undefined> {
  const example = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  return optionalInput('model-sha256', example, (raw) => {
    if (!/^[0-9a-fA-F]{64}$/.test(raw))
      throw new InputError('model-sha256', `must be 64 hex digits, got '${raw}'`, example);
    return raw.toLowerCase();
  });
}
