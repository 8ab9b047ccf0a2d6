// `pnpm demo`: the suite's story on bundled data, with no services and no tokens. validate-model runs as one
// action step; then the reusable workflows run whole through the local workflow runner (tools/workflow-runner),
// job by job as GitHub would, against a bare origin repository that the file router pushes each traffic
// change to. Each step's verdict and summary is printed. Everything it writes lands in one output folder,
// named at the end. `pnpm demo --real` runs the canary part against real nginx and Prometheus instead
// (scripts/demo-real.ts).
import { mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findExecutable } from '@recsys-actions/testkit';
import { startGitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { startDemo, validateModelStep } from './demo-steps';
import {
  checkOut,
  trafficHistory,
  runDemoWorkflow,
  seedOrigin,
  showRun,
  type WorkflowRun,
} from './demo-workflows';

if (process.argv.includes('--real')) {
  await import('./demo-real');
  process.exit(process.exitCode ?? 0);
}

// Every job clones the model repository and pushes its traffic change back, as on GitHub, so the workflows
// need git. A machine with only Node and npm gets the same story one action at a time.
if (!findExecutable('git')) {
  console.log('git is not installed, so the demo runs the actions one by one instead of the workflows.\n');
  await import('./demo-actions');
  process.exit(process.exitCode ?? 0);
}

const demo = startDemo('demo-output');
const { output } = demo;
// The runner gives every job a fresh workspace under the temporary folder; inside the output folder they stay
// with the rest of the demo's files and go when the next run starts clean.
process.env.TMPDIR = join(output, 'runner');
mkdirSync(process.env.TMPDIR, { recursive: true });

const ENVIRONMENT = 'production';
const CHAMPION = 'champion-2026.10';
const CHALLENGER = 'challenger-2026.11';
const NEXT = 'challenger-2026.12';
const CHECKS = readFileSync(join(output, 'recordings', 'checks.yml'), 'utf8');

await demo.step(
  '1. validate-model: offline quality gates on the bundled sample model',
  'validate-model',
  validateModelStep(CHALLENGER),
);

// The model repository starts with the champion live, as it would be after its own release.
const origin = seedOrigin(output, ENVIRONMENT, CHAMPION);

/** Runs a workflow, prints its story and counts it as a failure when its verdict is not the expected one. */
async function stage(title: string, label: string, expected: string, run: Promise<WorkflowRun>) {
  console.log(`\n━━━ ${title} ━━━`);
  const finished = await run;
  const verdict = await showRun(demo, label, finished);
  if (verdict !== expected)
    demo.fail(`expected verdict ${expected}, got '${verdict}'; see logs/${label}.log`);
  return finished;
}

const canaryRelease = (label: string, stable: string, canary: string, recording: string) =>
  runDemoWorkflow(output, origin, 'canary-release', label, {
    inputs: {
      environment: ENVIRONMENT,
      'stable-version': stable,
      'canary-version': canary,
      steps: '10,50,100',
      router: 'file',
      ledger: 'file',
      source: 'file',
      'source-config': `path: recordings/${recording}.jsonl`,
      checks: CHECKS,
    },
  });

const release = await stage(
  `2. canary-release: ${CHALLENGER} at 10 %, 50 %, then 100 %, a gate after each share; a healthy canary`,
  'release-healthy',
  'promoted',
  canaryRelease('release-healthy', CHAMPION, CHALLENGER, 'healthy'),
);
await stage(
  `3. canary-release: ${NEXT} at 10 %; this canary regresses, so the gate fails and the release rolls back`,
  'release-regressing',
  'rolled-back',
  canaryRelease('release-regressing', CHALLENGER, NEXT, 'regressing'),
);
await stage(
  `4. manual-rollback: someone presses the button, typing '${ENVIRONMENT}' to confirm: back to ${CHAMPION}`,
  'manual-rollback',
  'rolled-back',
  runDemoWorkflow(output, origin, 'manual-rollback', 'manual-rollback', {
    inputs: {
      environment: ENVIRONMENT,
      'from-version': CHALLENGER,
      'to-version': CHAMPION,
      reason: `${CHALLENGER} recommends last season's items`,
      confirm: ENVIRONMENT,
      ledger: 'file',
    },
  }),
);
await driftStage();

async function driftStage(): Promise<void> {
  // The drift issue goes to the GitHub emulator on loopback: the real API would need a token.
  const github = await startGitHubEmulator({ repository: 'octo-org/recsys' });
  try {
    await stage(
      "5. daily-drift: this week's traffic against the training reference; drift opens a tracking issue",
      'daily-drift',
      'drift',
      runDemoWorkflow(output, origin, 'daily-drift', 'daily-drift', {
        inputs: { reference: 'data/reference.csv', current: 'data/current.csv' },
        token: 'demo-token',
        env: { GITHUB_API_URL: github.url },
      }),
    );
    for (const issue of github.issues()) {
      console.log(`  GitHub (emulated): issue #${issue.number} '${issue.title}' is ${issue.state}`);
    }
  } finally {
    await github.close();
  }
}

checkOut(origin, join(output, 'repo'));
console.log(`\n━━━ 6. The traffic changes the jobs pushed to the model repository's main, oldest first ━━━`);
for (const subject of trafficHistory(origin)) console.log(`  ${subject}`);
console.log(`\n━━━ 7. notify-slack (dry run): ${demo.slackPayloads.length} payloads in slack/ ━━━`);
console.log(`\ncanary-release, 3 steps with a gate after each: ${release.seconds.toFixed(1)} s wall time.`);
console.log(
  `\nReports (reports/), the runner's logs (logs/), the Slack payloads (slack/), the model repository (origin.git,
checked out in repo/ with its traffic/ and .recsys/ledger/) and the jobs' workspaces (runner/) are in ${
    relative(process.cwd(), output) || output
  }/`,
);
if (demo.failures > 0) {
  console.log(`${demo.failures} step(s) did not end as expected.`);
  process.exitCode = 1;
}
