import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validatePayload } from '@recsys-actions/slack';
import {
  expectCleanFailure,
  matchReportCorpus,
  runAction,
  selfSignedCertificate,
  workspaceWith,
} from '@recsys-actions/testkit';
import { SlackReceiver } from '@recsys-actions/testkit/slack/receiver';

const REPORT = {
  schemaVersion: 1,
  action: 'canary-gate',
  verdict: 'rollback',
  title: 'Roll back v2: error-rate doubled <!channel> @here',
  environment: 'production',
  model: { version: 'v2', baselineVersion: 'v1' },
  startedAt: '2026-11-22T06:00:00.000Z',
  finishedAt: '2026-11-22T06:10:00.000Z',
  links: { run: 'https://github.com/octo-org/recsys/actions/runs/1' },
  checks: [
    { name: 'error-rate', status: 'fail', value: 0.021, baseline: 0.01, threshold: '≤ baseline × 1.5' },
  ],
  notes: [],
  details: {
    analysis: 'sequential',
    evidence: {},
    intervals: [],
    reason: 'error-rate is higher on the canary (e-value 31 ≥ 20)',
  },
};

/** A folder of its own under the system temp folder: outside any test's workspace and RUNNER_TEMP. */
function folderWithReport(prefix: string): { folder: string; report: string } {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  const report = join(folder, 'canary-gate-report.json');
  writeFileSync(report, JSON.stringify(REPORT));
  return { folder, report };
}

/** Everything the step printed except the runner's own `::add-mask::` commands, which the runner swallows. */
function visibleLog(run: { stdout: string; stderr: string }): string {
  return `${run.stdout}\n${run.stderr}`
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

describe('notify-slack (built dist) against a Slack-like receiver over https', () => {
  const certificate = selfSignedCertificate();
  let slack: SlackReceiver;
  beforeAll(async () => {
    slack = await SlackReceiver.start({ validate: validatePayload, tls: certificate });
  });
  afterAll(() => slack.close());

  const send = (inputs: Record<string, string>) =>
    runAction({
      action: 'notify-slack',
      workspace: workspaceWith({ 'reports/gate.json': JSON.stringify(REPORT) }),
      inputs: { 'allowed-hosts': slack.host, 'slack-api-url': slack.apiUrl, retries: '2', ...inputs },
      env: { NODE_EXTRA_CA_CERTS: certificate.certPath },
    });

  it('writes the exact payload in a dry run, with no webhook or token, and sends nothing', async () => {
    const before = slack.requests.length;
    const run = await runAction({
      action: 'notify-slack',
      workspace: workspaceWith({ 'reports/gate.json': JSON.stringify(REPORT) }),
      inputs: { report: 'reports/gate.json', 'dry-run': 'slack/payload.json' },
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.ok).toBe('true');
    const payload = JSON.parse(readFileSync(run.outputs['payload-path'] ?? '', 'utf8'));
    expect(validatePayload(payload)).toEqual([]);
    expect(payload.text).toContain('v2');
    expect(JSON.stringify(payload)).not.toContain('<!channel>');
    expect(slack.requests.length).toBe(before);
    matchReportCorpus('notify-slack-dry-run', run);
  });

  it('posts a report through a webhook, never printing the URL', async () => {
    const run = await send({ 'webhook-url': slack.webhookUrl, report: 'reports/gate.json' });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.ok).toBe('true');
    const last = slack.requests.at(-1);
    expect(last).toMatchObject({ kind: 'webhook', status: 200 });
    expect(JSON.stringify(last?.body)).toContain('&lt;!channel&gt;');
    expect(visibleLog(run)).not.toContain('receiverSecret');
    expect(run.stdout).toContain(`::add-mask::${slack.webhookUrl}`);
  });

  it('posts with a bot token, then edits the same message with update-ts', async () => {
    const bot = { token: slack.token, channel: 'C0123ABCD' };
    const posted = await send({ ...bot, title: 'Canary started', status: 'info' });
    expect(posted.exitCode).toBe(0);
    expect(posted.outputs).toMatchObject({ ok: 'true', channel: 'C0123ABCD' });
    const ts = posted.outputs.ts ?? '';
    expect(ts).toMatch(/^\d+\.\d+$/);
    const updated = await send({ ...bot, report: 'reports/gate.json', 'update-ts': ts });
    expect(updated.exitCode).toBe(0);
    expect(slack.requests.at(-1)?.path).toContain('chat.update');
    expect(visibleLog(posted) + visibleLog(updated)).not.toContain(slack.token);
  });

  it('waits out Retry-After on a 429, then succeeds', async () => {
    slack.respondWith429(1, 1);
    const first = slack.requests.length;
    const run = await send({ 'webhook-url': slack.webhookUrl, report: 'reports/gate.json' });
    expect(run.exitCode).toBe(0);
    const [limited, accepted] = slack.requests.slice(first);
    expect(limited?.status).toBe(429);
    expect(accepted?.status).toBe(200);
    expect((accepted?.arrivedAt ?? 0) - (limited?.arrivedAt ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('fails on a final error by default, and only warns with errors: false', async () => {
    const bot = { token: slack.token, channel: 'C9999MISSING', title: 'hello' };
    expect(expectCleanFailure(await send(bot))).toMatch(/channel_not_found/);
    const lenient = await send({ ...bot, errors: 'false' });
    expect(lenient.exitCode).toBe(0);
    expect(lenient.outputs.ok).toBe('false');
    expect(lenient.warnings.join(' ')).toMatch(/channel_not_found/);
  });

  // slack-github-action v2's names, and a step that got no report.
  it('posts through `webhook` with webhook-type incoming-webhook, masking it', async () => {
    const run = await send({ webhook: slack.webhookUrl, 'webhook-type': 'incoming-webhook', title: 'Hi' });
    expect(run.errors).toEqual([]);
    expect(slack.requests.at(-1)).toMatchObject({ kind: 'webhook', status: 200 });
    expect(run.stdout).toContain(`::add-mask::${slack.webhookUrl}`);
  });

  it('refuses a Workflow Builder webhook-type, naming the input', async () => {
    const run = await send({ webhook: slack.webhookUrl, 'webhook-type': 'webhook-trigger', title: 'Hi' });
    expect(expectCleanFailure(run)).toMatch(
      /^Input 'webhook-type' must be incoming-webhook, got 'webhook-trigger'/,
    );
  });

  it('sets channel_id and thread_ts beside channel and thread-ts', async () => {
    const run = await send({ token: slack.token, channel: 'C0123ABCD', title: 'Canary started' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.channel_id).toBe('C0123ABCD');
    expect(run.outputs.thread_ts).toMatch(/^\d+\.\d+$/);
    expect(run.outputs.thread_ts).toBe(run.outputs['thread-ts']);
  });

  it('with an empty report, sends a message naming the job, the run and the status instead of failing', async () => {
    const before = slack.requests.length;
    const run = await send({ 'webhook-url': slack.webhookUrl, report: '', status: 'failure' });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.ok).toBe('true');
    expect(slack.requests.length).toBe(before + 1);
    const text = JSON.stringify(slack.requests.at(-1)?.body);
    expect(text).toContain('Job release of run 4242: failure');
    expect(text).toContain('No report reached this step');
    expect(text).toContain('https://github.com/octo-org/recsys/actions/runs/4242');
  });

  describe('report handoff: a path in the workspace or RUNNER_TEMP, or the JSON text', () => {
    it('reads a report path under RUNNER_TEMP, where actions write their reports by default', async () => {
      const runnerTemp = folderWithReport('runner-temp-');
      const run = await runAction({
        action: 'notify-slack',
        inputs: { report: runnerTemp.report, 'dry-run': 'slack/payload.json' },
        env: { RUNNER_TEMP: runnerTemp.folder },
      });
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(readFileSync(run.outputs['payload-path'] ?? '', 'utf8')).toContain('Roll back v2');
    });

    it("sends the report given as JSON text, as an action's report output is passed between jobs", async () => {
      const run = await send({ 'webhook-url': slack.webhookUrl, report: JSON.stringify(REPORT) });
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(run.outputs.ok).toBe('true');
      expect(JSON.stringify(slack.requests.at(-1)?.body)).toContain('Roll back v2');
    });

    it('follows a workspace link into RUNNER_TEMP, and refuses one that leads elsewhere', async () => {
      const runnerTemp = folderWithReport('runner-temp-');
      const elsewhere = folderWithReport('elsewhere-');
      const workspace = workspaceWith({});
      symlinkSync(runnerTemp.report, join(workspace, 'into-temp.json'));
      symlinkSync(elsewhere.report, join(workspace, 'elsewhere.json'));
      const dryRun = (report: string) =>
        runAction({
          action: 'notify-slack',
          workspace,
          inputs: { report, 'dry-run': 'slack/payload.json' },
          env: { RUNNER_TEMP: runnerTemp.folder },
        });
      expect((await dryRun('into-temp.json')).exitCode).toBe(0);
      expect(expectCleanFailure(await dryRun('elsewhere.json'))).toMatch(
        /^Input 'report' points outside the workspace and RUNNER_TEMP \('elsewhere.json'\)/,
      );
    });

    it('with errors: false, a refused report only warns and the step passes', async () => {
      const outside = folderWithReport('outside-');
      const run = await send({ 'webhook-url': slack.webhookUrl, report: outside.report, errors: 'false' });
      expect(run.exitCode).toBe(0);
      expect(run.errors).toEqual([]);
      expect(run.outputs.ok).toBe('false');
      expect(run.warnings.join(' ')).toMatch(/Input 'report' points outside the workspace and RUNNER_TEMP/);
      expect(JSON.parse(run.outputs.report ?? '{}')).toMatchObject({
        action: 'notify-slack',
        verdict: 'warn',
      });
    });
  });

  const outsideReport = folderWithReport('outside-').report;
  const badInputs: [string, Record<string, string>, RegExp][] = [
    ['neither a webhook nor a token', { title: 'x' }, /^Input 'webhook-url' and 'token' are both empty/],
    [
      'both a webhook and a token',
      { 'webhook-url': 'https://hooks.slack.com/services/T/B/x', token: 'xoxb-1', title: 'x' },
      /^Input 'token' cannot be combined with 'webhook-url'/,
    ],
    [
      'a token without a channel',
      { token: 'xoxb-1', title: 'x' },
      /^Input 'channel' is required with 'token'/,
    ],
    [
      'a non-https webhook',
      { 'webhook-url': 'http://hooks.slack.com/services/T/B/x', title: 'x' },
      /^Input 'webhook-url' must be an https URL/,
    ],
    [
      'a webhook on another host',
      { 'webhook-url': 'https://evil.example/services/T/B/x', title: 'x' },
      /^Input 'webhook-url' points to host 'evil.example'/,
    ],
    [
      'a report that is not a suite report',
      { 'webhook-url': 'https://hooks.slack.com/services/T/B/x', report: 'not-a-report.json' },
      /^Input 'report' is not a suite report/,
    ],
    [
      'a report path outside both the workspace and RUNNER_TEMP',
      { 'webhook-url': 'https://hooks.slack.com/services/T/B/x', report: outsideReport },
      /^Input 'report' points outside the workspace and RUNNER_TEMP \('\/.*canary-gate-report\.json'\); give a report path/,
    ],
    [
      'report text that starts like JSON but is not',
      { 'webhook-url': 'https://hooks.slack.com/services/T/B/x', report: '{"action": "canary-gate",' },
      /^Input 'report' starts with '\{' but is not valid JSON \(.+\); pass an action's report output unchanged/,
    ],
    [
      'fields that are not a YAML map',
      { 'webhook-url': 'https://hooks.slack.com/services/T/B/x', title: 'x', fields: '[1, 2]' },
      /^Input 'fields' /,
    ],
  ];
  it.each(badInputs)('refuses %s before any request', async (_, inputs, message) => {
    const before = slack.requests.length;
    const run = await runAction({
      action: 'notify-slack',
      workspace: workspaceWith({ 'not-a-report.json': '{"hello": "world"}' }),
      inputs,
    });
    expect(expectCleanFailure(run)).toMatch(message);
    expect(visibleLog(run)).not.toMatch(/services\/T\/B\/x/);
    expect(slack.requests.length).toBe(before);
  });
});
