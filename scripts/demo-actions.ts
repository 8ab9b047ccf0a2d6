// `pnpm demo` on a machine without git (scripts/demo.ts): the same story, one action at a time. Each step runs
// an action's built dist/ exactly as GitHub's runner would (INPUT_* variables, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY), then prints its verdict and summary. Everything it writes lands in one output folder.
import { relative } from 'node:path';
import {
  DEMO_RELEASE,
  DRIFT_CHECK_STEP,
  shiftStep as shift,
  startDemo,
  validateModelStep,
  type DemoStep,
} from './demo-steps';

const demo = startDemo('demo-output');
const { output, step } = demo;

const CHAMPION = 'champion-2026.10';
const CHALLENGER = 'challenger-2026.11';
const NEXT = 'challenger-2026.12';
const gate = (recording: string, canary: string, baseline: string): DemoStep => ({
  action: 'canary-gate',
  inputs: {
    source: 'file',
    'source-config': `path: recordings/${recording}.jsonl`,
    checks: 'recordings/checks.yml',
    'canary-version': canary,
    'baseline-version': baseline,
    environment: 'production',
  },
});

await step(
  '1. validate-model: offline quality gates on the bundled sample model',
  'validate-model',
  validateModelStep(CHALLENGER),
);

// The ledger starts with the champion live, as it would be after its own release.
await step(
  `2. shift-traffic: ${CHAMPION} is live (the starting point)`,
  'shift-0',
  shift('champion-2026.09', CHAMPION, 100),
);
for (const weight of [10, 25, 50]) {
  await step(
    `3. shift-traffic: ${weight} % to ${CHALLENGER}`,
    `shift-${weight}`,
    shift(CHAMPION, CHALLENGER, weight),
  );
  await step(
    `3. canary-gate at ${weight} %: a healthy canary`,
    `gate-${weight}`,
    gate('healthy', CHALLENGER, CHAMPION),
  );
}
await step(`3. shift-traffic: 100 % promotes ${CHALLENGER}`, 'shift-100', shift(CHAMPION, CHALLENGER, 100));

await step(`4. shift-traffic: a second release, 10 % to ${NEXT}`, 'shift-next', shift(CHALLENGER, NEXT, 10));
await step(
  '4. canary-gate: this canary regresses, so the gate says rollback and fails the step',
  'gate-next',
  gate('regressing', NEXT, CHALLENGER),
  1,
);
await step(`4. rollback: all traffic back to ${CHALLENGER}`, 'rollback', {
  action: 'rollback',
  inputs: { ...DEMO_RELEASE, reason: 'canary-gate: the canary doubled the error rate' },
});

await step(
  "5. drift-check: this week's traffic against the training reference",
  'drift-check',
  DRIFT_CHECK_STEP,
);

console.log(`\n━━━ 6. notify-slack (dry run): ${demo.slackPayloads.length} payloads in slack/ ━━━`);
console.log(
  `\nReports (reports/), the traffic file (traffic/), the ledger (.recsys/ledger/) and the Slack payloads (slack/) are in ${
    relative(process.cwd(), output) || output
  }/`,
);
if (demo.failures > 0) {
  console.log(`${demo.failures} step(s) did not end as expected.`);
  process.exitCode = 1;
}
