import { validatePayload } from '@recsys-actions/slack';
import { expectCleanFailure, runAction, selfSignedCertificate, workspaceWith } from '@recsys-actions/testkit';
import { SlackReceiver } from '@recsys-actions/testkit/slack/receiver';

describe('notify-slack with slack-github-action v2 names and without a report (built dist)', () => {
  const certificate = selfSignedCertificate();
  let slack: SlackReceiver;
  beforeAll(async () => {
    slack = await SlackReceiver.start({ validate: validatePayload, tls: certificate });
  });
  afterAll(() => slack.close());

  const send = (inputs: Record<string, string>) =>
    runAction({
      action: 'notify-slack',
      workspace: workspaceWith({}),
      inputs: { 'allowed-hosts': slack.host, 'slack-api-url': slack.apiUrl, retries: '0', ...inputs },
      env: { NODE_EXTRA_CA_CERTS: certificate.certPath },
    });

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
});
