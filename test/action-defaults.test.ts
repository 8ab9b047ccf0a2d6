// action.yml holds each input's default, and the runner always supplies it. The code keeps a fallback for the
// same inputs (for local-action runs, tests and direct calls), so this test holds every fallback to the
// action.yml default: reading an unset input must give exactly what reading the default gives.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { InputSpec } from '../packages/core/src/index';
import { NOTIFY_INPUT_SPECS } from '../packages/slack/src/index';
import { repoRoot } from '@recsys-actions/testkit';
import { inputSpecs as canaryGate } from '../actions/canary-gate/src/inputs';
import { inputSpecs as deploymentReport } from '../actions/deployment-report/src/inputs';
import { inputSpecs as driftCheck } from '../actions/drift-check/src/inputs';
import { inputSpecs as rollback } from '../actions/rollback/src/inputs';
import { inputSpecs as shiftTraffic } from '../actions/shift-traffic/src/inputs';
import { inputSpecs as validateModel } from '../actions/validate-model/src/inputs';

type Specs = Record<string, InputSpec<unknown>>;

const workspace = mkdtempSync(join(tmpdir(), 'action-defaults-'));
const SPECS: Record<string, Specs> = {
  'canary-gate': canaryGate(workspace),
  'deployment-report': deploymentReport(),
  'drift-check': driftCheck(workspace),
  'notify-slack': NOTIFY_INPUT_SPECS,
  rollback: rollback(),
  'shift-traffic': shiftTraffic(),
  'validate-model': validateModel(workspace),
};

/** Inputs with a default that no spec above reads, and who reads them instead. */
const RELEASE_READERS = {
  router: '@recsys-actions/release readRouterConfig',
  ledger: '@recsys-actions/release readLedgerSelection',
  token: '@recsys-actions/release readLedgerSelection (the github ledger)',
};
const READ_ELSEWHERE: Record<string, Record<string, string>> = {
  rollback: RELEASE_READERS,
  'shift-traffic': RELEASE_READERS,
  'deployment-report': { ledger: RELEASE_READERS.ledger, token: RELEASE_READERS.token },
};

function actionDefaults(action: string): [string, string][] {
  const file = readFileSync(join(repoRoot(), 'actions', action, 'action.yml'), 'utf8');
  const inputs = (parseYaml(file) as { inputs?: Record<string, { default?: unknown }> }).inputs ?? {};
  return Object.entries(inputs).flatMap(([name, input]) =>
    input.default === undefined ? [] : [[name, String(input.default)] as [string, string]],
  );
}

const actions = readdirSync(join(repoRoot(), 'actions')).filter(
  (name) => existsSync(join(repoRoot(), 'actions', name, 'action.yml')) && actionDefaults(name).length > 0,
);

it('covers every action whose action.yml sets a default', () => {
  expect(actions.sort()).toEqual(Object.keys(SPECS).sort());
});

describe.each(actions)('%s', (action) => {
  const specs = Object.values(SPECS[action] ?? {});
  const byName = new Map(specs.map((spec) => [spec.name, spec]));

  it.each(actionDefaults(action))('falls back to the action.yml default of %s (%s)', (name, value) => {
    const spec = byName.get(name);
    if (spec === undefined) {
      expect(Object.keys(READ_ELSEWHERE[action] ?? {})).toContain(name);
      return;
    }
    // An expression such as ${{ github.token }} is only known on the runner; its input must still be optional.
    if (value.includes('${{')) {
      expect(() => spec.parse('')).not.toThrow();
      return;
    }
    expect(spec.parse('')).toEqual(spec.parse(value));
  });
});
