// The weekly deployment report run whole by the workflow runner: the starter template (workflows-templates/
// recsys-weekly-report.yml) exactly as shipped, calling .github/workflows/weekly-report.yml, which runs the built
// deployment-report against the GitHub emulator's Deployments ledger, then notify-slack.
//
// The ledger is the hand-computed production scenario of packages/insights/test/scenarios.ts, replayed so that
// its window (March 2026) ends now: the template reports the last 28 days. The commits it names are not in the
// model repository, so their times come from the emulated GitHub API, as for a shallow checkout.
import { validatePayload } from '@recsys-actions/slack';
import { repoRoot, selfSignedCertificate } from '@recsys-actions/testkit';
import { startGitHubEmulator, type GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { SlackReceiver } from '@recsys-actions/testkit/slack/receiver';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emulatedLedger } from '../../actions/deployment-report/test/workspaces';
import { JournalWriter } from '../../packages/insights/test/ledgers';
import { COMMITS, MARCH, writeProduction } from '../../packages/insights/test/scenarios';
import { runWorkflow } from '../../tools/workflow-runner/src/index';
import { modelRepo, templatePath } from './model-repo';

const HOUR = 3_600_000;

/**
 * The production scenario in the emulator's Deployments, its window's end two minutes from now; `setClock`
 * moves the emulator's clock to each entry's time.
 */
async function seedProduction(github: GitHubEmulator, setClock: (at: Date) => void): Promise<void> {
  // Whole minutes, as GitHub keeps whole seconds: the times read back are the scenario's exactly.
  const shiftMs = Math.ceil((Date.now() + 2 * 60_000 - MARCH.until.getTime()) / 60_000) * 60_000;
  await writeProduction(new JournalWriter(emulatedLedger(github), setClock, shiftMs));
  for (const { sha, at } of Object.values(COMMITS)) {
    github.addCommit({ sha, committedAt: new Date(Date.parse(at) + shiftMs).toISOString() });
  }
}

const expectedProduction = {
  environment: 'production',
  deployments: 3,
  leadTime: { count: 3, median: 25 * HOUR, withoutCommit: 0 },
  changeFailureRate: { failed: 2, settled: 4, rate: 0.5 },
  timeToRestore: { count: 2, median: 738 * 60_000 },
  bands: { deploymentFrequency: 'medium', leadTime: 'high', changeFailureRate: 'low', timeToRestore: 'high' },
};

describe('weekly-report run whole', () => {
  const certificate = selfSignedCertificate();
  const CHANNEL = 'C0123456789';
  let clock = new Date();
  let github: GitHubEmulator;
  let slack: SlackReceiver;
  beforeAll(async () => {
    github = await startGitHubEmulator({ now: () => clock });
    slack = await SlackReceiver.start({ validate: validatePayload, tls: certificate, channels: [CHANNEL] });
  });
  afterAll(async () => {
    await slack.close();
    await github.close();
  });

  it('the starter template reports the last 28 days in the job summary, warning under min-band medium', async () => {
    await seedProduction(github, (at) => (clock = at));
    clock = new Date();
    const repo = modelRepo({
      '.github/workflows/report.yml': readFileSync(templatePath('recsys-weekly-report'), 'utf8'),
    });
    const log: string[] = [];
    const result = await runWorkflow(join(repo, '.github/workflows/report.yml'), {
      event: 'schedule',
      repo,
      secrets: { GITHUB_TOKEN: 'ghs_emulated' },
      env: { GITHUB_API_URL: github.url },
      log: (line) => log.push(line),
    });
    expect(result.conclusion).toBe('success');
    const called = result.jobs.report?.workflow;
    expect(called?.outputs.verdict).toBe('warn');
    expect(JSON.parse(called?.outputs.metrics ?? '[]')).toMatchObject([expectedProduction]);
    const leg = called?.jobs.report?.legs[0];
    expect(leg?.summary).toContain('### ⚠️ deployment-report: **warn**');
    expect(leg?.summary).toContain('xychart-beta');
    // The template posts to Slack only with its SLACK_BOT_TOKEN secret; without it the run still passes.
    expect(log.join('\n')).toMatch(/warning: Slack message not sent \(errors: false\)/);
    expect(github.rejected).toEqual([]);
    expect(github.faults).toEqual([]);
  });

  it('the reusable workflow posts the report to Slack with the slack-token secret', async () => {
    const repo = modelRepo({ 'README.md': 'recs\n' });
    const log: string[] = [];
    const result = await runWorkflow(join(repoRoot(), '.github/workflows/weekly-report.yml'), {
      event: 'workflow_call',
      repo,
      inputs: {
        'min-band': 'low',
        'slack-channel': CHANNEL,
        'slack-api-url': slack.apiUrl,
        'slack-allowed-hosts': slack.host,
      },
      secrets: { GITHUB_TOKEN: 'ghs_emulated', 'slack-token': slack.token },
      env: { GITHUB_API_URL: github.url, NODE_EXTRA_CA_CERTS: certificate.certPath },
      log: (line) => log.push(line),
    });
    expect(result.conclusion).toBe('success');
    expect(result.outputs.verdict).toBe('ok');
    expect(log.join('\n')).not.toMatch(/warning/);
    expect(slack.messages).toHaveLength(1);
    const text = JSON.stringify(slack.messages[0]?.payload);
    expect(text).toContain('Deployment report');
    expect(text).toContain('failure rate 50%');
  });
});
