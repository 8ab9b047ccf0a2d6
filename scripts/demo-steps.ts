// The demo's way of showing one step: its report (or, without one, its summary) printed as terminal text, then
// rendered to a Slack payload by notify-slack in dry-run mode. `step` runs a built action under the runner
// emulation first; `show` takes a step the workflow runner already ran.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAction, type RunActionOptions } from '@recsys-actions/testkit';
import { ROOT } from './actions';
import { parseReport } from '@recsys-actions/core';
import { markdownToTerminal, reportToTerminal } from './terminal-markdown';

export type DemoStep = Omit<RunActionOptions, 'workspace' | 'inputs'> & {
  inputs: Record<string, string | number>;
};

/** What a finished step left to show: its report as JSON text (when it published one), summary and errors. */
export interface StepShown {
  report?: string;
  summary: string;
  errors: readonly string[];
}

export interface Demo {
  /** The output folder, which is also the runner's workspace, so every file an action writes stays inside. */
  readonly output: string;
  step(title: string, name: string, options: DemoStep, expectExit?: number): Promise<void>;
  /** Prints a step, keeps its report as reports/<name>.json and renders it to a Slack payload. */
  show(name: string, shown: StepShown): Promise<void>;
  /** Counts a step or run that did not end as expected, saying how. */
  fail(message: string): void;
  readonly failures: number;
  readonly slackPayloads: readonly string[];
}

export function startDemo(folder: string): Demo {
  const output = join(ROOT, folder);
  rmSync(output, { recursive: true, force: true });
  cpSync(join(ROOT, 'demo'), output, { recursive: true });
  mkdirSync(join(output, 'reports'), { recursive: true });
  let failures = 0;
  const slackPayloads: string[] = [];

  function fail(message: string): void {
    failures += 1;
    console.log(`  ✗ ${message}`);
  }

  async function show(name: string, shown: StepShown): Promise<void> {
    // A step that fails before publishing has no report; its summary (if any) is all there is to show.
    console.log(
      shown.report
        ? reportToTerminal(parseReport(JSON.parse(shown.report)))
        : markdownToTerminal(shown.summary).trim(),
    );
    for (const error of shown.errors) console.log(`  error: ${error}`);
    if (!shown.report) return;
    const report = `reports/${name}.json`;
    writeFileSync(join(output, report), `${JSON.stringify(JSON.parse(shown.report), null, 2)}\n`);
    const payload = `slack/${String(slackPayloads.length + 1).padStart(2, '0')}-${name}.json`;
    const slack = await runAction({
      action: 'notify-slack',
      workspace: output,
      inputs: { report, 'dry-run': payload },
    });
    if (slack.exitCode === 0) slackPayloads.push(payload);
    else fail(`notify-slack: ${slack.errors.join(' ')}`);
  }

  async function step(title: string, name: string, options: DemoStep, expectExit = 0): Promise<void> {
    console.log(`\n━━━ ${title} ━━━`);
    const run = await runAction({
      ...options,
      workspace: output,
      inputs: { ...options.inputs, 'report-path': `reports/${name}.json` },
    });
    await show(name, { report: run.outputs.report, summary: run.summary, errors: run.errors });
    if (run.exitCode !== expectExit) fail(`expected exit ${expectExit}, got ${run.exitCode}\n${run.stderr}`);
  }

  return {
    output,
    step,
    show,
    fail,
    get failures() {
      return failures;
    },
    slackPayloads,
  };
}

/** The demo's first step in both stories: validate-model's offline gates on the bundled sample model. */
export function validateModelStep(version: string): DemoStep {
  return {
    action: 'validate-model',
    inputs: {
      recommendations: 'data/recommendations.csv',
      interactions: 'data/ground-truth.csv',
      'rating-predictions': 'data/predictions.csv',
      'train-interactions': 'data/train.csv',
      metrics: 'model/serving-metrics.json',
      baseline: 'champion/metrics.json',
      thresholds: 'gates.yml',
      'model-path': 'model',
      'model-version': version,
      'max-model-size': '1GB',
    },
  };
}

/** The demo's releases: production, on the file router and the file ledger, inside the output folder. */
export const DEMO_RELEASE = { environment: 'production', router: 'file', ledger: 'file' };

/** shift-traffic moving `weight` % of production to `canary`, the rest staying on `stable`. */
export function shiftStep(stable: string, canary: string, weight: number): DemoStep {
  return {
    action: 'shift-traffic',
    inputs: { ...DEMO_RELEASE, 'stable-version': stable, 'canary-version': canary, 'canary-weight': weight },
  };
}

/** drift-check of this week's traffic against the training reference, with no issue and no cache. */
export const DRIFT_CHECK_STEP: DemoStep = {
  action: 'drift-check',
  inputs: {
    reference: 'data/reference.csv',
    current: 'data/current.csv',
    'create-issue': 'false',
    'cache-reference': 'false',
  },
};
