// The demo's way of running one step: the built action under the runner emulation, its summary printed as
// terminal text, its report rendered to a Slack payload by notify-slack in dry-run mode.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runAction, type RunActionOptions } from '@recsys-actions/testkit';
import { ROOT } from './actions';
import { parseReport } from '@recsys-actions/core';
import { markdownToTerminal, reportToTerminal } from './terminal-markdown';

export type DemoStep = Omit<RunActionOptions, 'workspace' | 'inputs'> & {
  inputs: Record<string, string | number>;
};

export interface Demo {
  /** The output folder, which is also the runner's workspace, so every file an action writes stays inside. */
  readonly output: string;
  step(title: string, name: string, options: DemoStep, expectExit?: number): Promise<void>;
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

  async function step(title: string, name: string, options: DemoStep, expectExit = 0): Promise<void> {
    console.log(`\n━━━ ${title} ━━━`);
    const report = `reports/${name}.json`;
    const run = await runAction({
      ...options,
      workspace: output,
      inputs: { ...options.inputs, 'report-path': report },
    });
    const reportFile = join(output, report);
    // A step that fails before publishing has no report; its summary (if any) is all there is to show.
    console.log(
      existsSync(reportFile)
        ? reportToTerminal(parseReport(JSON.parse(readFileSync(reportFile, 'utf8'))))
        : markdownToTerminal(run.summary).trim(),
    );
    for (const error of run.errors) console.log(`  error: ${error}`);
    if (run.exitCode !== expectExit) {
      failures += 1;
      console.log(`  ✗ expected exit ${expectExit}, got ${run.exitCode}\n${run.stderr}`);
      return;
    }
    const payload = `slack/${String(slackPayloads.length + 1).padStart(2, '0')}-${name}.json`;
    const slack = await runAction({
      action: 'notify-slack',
      workspace: output,
      inputs: { report, 'dry-run': payload },
    });
    if (slack.exitCode === 0) slackPayloads.push(payload);
    else {
      failures += 1;
      console.log(`  ✗ notify-slack: ${slack.errors.join(' ')}`);
    }
  }

  return {
    output,
    step,
    get failures() {
      return failures;
    },
    slackPayloads,
  };
}
