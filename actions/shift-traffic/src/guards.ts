import { durationInput, optionalText } from '@recsys-actions/core';
import {
  optionalHttpUrlInput,
  optionalVersionUrlInput,
  stepKey,
  type GuardedShiftRequest,
  type RunProvenance,
  type ShiftGuards,
  type ShiftRequest,
} from '@recsys-actions/release';

/** The inputs that guard a shift (deploy, target checks, health after); see the README's "Blue-green". */
export function guardInputSpecs() {
  return {
    deployCommand: optionalText('deploy-command', './deploy.sh "$RECSYS_VERSION"'),
    modelPath: optionalText('model-path', 'models/model.onnx'),
    targetHealthUrl: optionalVersionUrlInput('target-health-url', 'http://recs-{version}.internal/healthz'),
    smokeCommand: optionalText('smoke-command', './smoke.sh "$RECSYS_VERSION"'),
    healthUrl: optionalHttpUrlInput('health-url', 'https://recs.example.com/healthz'),
    healthTimeoutMs: durationInput('health-timeout', 30_000, '30s'),
  };
}

export function guardedRequest(
  run: RunProvenance,
  environment: string,
  shift: ShiftRequest,
  guards: ShiftGuards,
): GuardedShiftRequest {
  // Only the guards: the inputs also hold the router's and the ledger's credentials.
  const { deployCommand, modelPath, targetHealthUrl, smokeCommand, healthUrl, healthTimeoutMs } = guards;
  return {
    environment,
    shift,
    guards: { deployCommand, modelPath, targetHealthUrl, smokeCommand, healthUrl, healthTimeoutMs },
    restoreKey: stepKey(run, 'shift-traffic-restore', { base: shift.key }),
  };
}
