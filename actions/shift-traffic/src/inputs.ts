import {
  choiceInput,
  InputError,
  numberInput,
  optionalInput,
  readInputs,
  type InputReader,
  type InputSpec,
} from '@recsys-actions/core';
import { environmentInput, optionalVersionInput, versionInput } from '@recsys-actions/release';
import { PUSH_MODES } from '@recsys-actions/runtime/push-mode';
import { guardInputSpecs } from './guards';

/**
 * How each input of shift-traffic is read; `test/action-defaults.test.ts` holds their fallbacks to action.yml.
 * The router and ledger inputs are read by their backends in @recsys-actions/release, when the step opens them.
 */
export function inputSpecs() {
  return {
    environment: environmentInput(),
    stableVersion: stableVersionInput(),
    canaryVersion: versionInput('canary-version', 'v1.5.0'),
    canaryWeight: optionalPercent('canary-weight', 0),
    mode: choiceInput('mode', ['canary', 'shadow'] as const, 'canary'),
    shadowPercent: optionalPercent('shadow-percent', 1),
    stickiness: choiceInput('stickiness', ['request', 'user'] as const, 'request'),
    modelSha256: sha256Input(),
    push: choiceInput('push', PUSH_MODES, 'none'),
    ...guardInputSpecs(),
  };
}

/** Every input of shift-traffic, checked before the router or the ledger is touched. */
export function readShiftInputs(read: InputReader) {
  const { canaryWeight: weight, ...inputs } = readInputs(inputSpecs(), read);
  const canaryWeight = checkMode(inputs.mode, weight, inputs.shadowPercent);
  if (inputs.stableVersion !== undefined && inputs.canaryVersion === inputs.stableVersion) {
    throw new InputError(
      'canary-version',
      `must differ from stable-version (both are '${inputs.stableVersion}')`,
      'v1.5.0',
    );
  }
  if (inputs.push === 'pr' && canaryWeight !== 100) {
    throw new InputError(
      'push',
      `can be 'pr' only for a switch to 100 % (canary-weight is ${canaryWeight}): a canary step must be ` +
        'live while its gate judges it, so it is pushed to the branch',
      'branch',
    );
  }
  return { ...inputs, canaryWeight };
}

/**
 * The canary's weight for `mode`: a canary needs canary-weight and no shadow-percent; a shadow needs
 * shadow-percent, and its canary takes no traffic (canary-weight empty or 0).
 */
function checkMode(
  mode: 'canary' | 'shadow',
  weight: number | undefined,
  shadowPercent: number | undefined,
): number {
  if (mode === 'canary') {
    if (weight === undefined) throw new InputError('canary-weight', 'is required', '10');
    if (shadowPercent !== undefined) {
      throw new InputError(
        'shadow-percent',
        "is only read with mode: shadow (mode is 'canary'); remove it or set mode: shadow",
        '',
      );
    }
    return weight;
  }
  if (shadowPercent === undefined) {
    throw new InputError(
      'shadow-percent',
      'is required with mode: shadow: the percent of requests copied to canary-version',
      '10',
    );
  }
  if (weight !== undefined && weight !== 0) {
    throw new InputError(
      'canary-weight',
      `must be empty or 0 with mode: shadow, got '${weight}': a shadow takes no traffic, every answer comes from the stable version`,
      '0',
    );
  }
  return 0;
}

/** A whole percent from `min` to 100, or undefined when the input is empty. */
function optionalPercent(name: string, min: number): InputSpec<number | undefined> {
  const percent = numberInput(name, { min, max: 100, integer: true, example: '10' });
  return optionalInput(name, '10', (raw) => percent.parse(raw));
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
