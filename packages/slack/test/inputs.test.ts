import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@recsys-actions/core';
import { readNotifyOptions } from '../src/index';
import { SAMPLE_REPORTS } from './sample-reports';

const workspace = mkdtempSync(join(tmpdir(), 'notify-inputs-'));
writeFileSync(join(workspace, 'canary.json'), JSON.stringify(SAMPLE_REPORTS['canary-gate']));
writeFileSync(join(workspace, 'other.json'), JSON.stringify({ verdict: 'pass', title: 'not ours' }));
writeFileSync(join(workspace, 'broken.json'), '{ not json');

const WEBHOOK = 'https://hooks.slack.com/services/T0/B0/secret';

function read(inputs: Record<string, string>) {
  return readNotifyOptions((name) => inputs[name] ?? '', { workspace });
}

describe('readNotifyOptions', () => {
  it('reads webhook mode with a report', async () => {
    const options = await read({
      'webhook-url': WEBHOOK,
      report: 'canary.json',
      'mention-on-failure': '<!here>',
    });
    expect(options).toMatchObject({
      destination: { kind: 'webhook', url: WEBHOOK },
      source: { kind: 'report', report: { action: 'canary-gate' } },
      mentions: ['<!here>'],
      failOnError: true,
      dryRun: false,
      retry: { retries: 3 },
    });
  });

  it('leaves plain-http loopback off unless the caller (only tests) turns it on; no input can', async () => {
    const inputs = { 'webhook-url': WEBHOOK, 'allow-insecure-loopback': 'true', report: 'canary.json' };
    expect((await read(inputs)).allowInsecureLoopback).toBeUndefined();
    const testOnly = await readNotifyOptions((name) => inputs[name as keyof typeof inputs] ?? '', {
      workspace,
      allowInsecureLoopback: true,
    });
    expect(testOnly.allowInsecureLoopback).toBe(true);
  });

  it('reads a dry run that needs no webhook or token', async () => {
    const options = await read({ report: 'canary.json', 'dry-run': 'out/slack.json' });
    expect(options.destination).toBeUndefined();
    expect(options.dryRun).toBe(true);
    expect(options.payloadPath).toMatch(/out\/slack\.json$/);
  });

  it('reads bot mode with a status message and a fields map', async () => {
    const options = await read({
      token: 'xoxb-1',
      channel: 'C0123ABCD',
      'thread-ts': '1712345678.000100',
      status: 'failure',
      title: 'Retrain failed',
      fields: 'dataset: clicks\nrows: 1200000',
      errors: 'true',
    });
    expect(options).toMatchObject({
      destination: { kind: 'bot', token: 'xoxb-1', channel: 'C0123ABCD', threadTs: '1712345678.000100' },
      source: {
        kind: 'status',
        status: {
          status: 'failure',
          title: 'Retrain failed',
          fields: { dataset: 'clicks', rows: '1200000' },
        },
      },
      failOnError: true,
    });
  });

  it.each([
    ['neither webhook nor token', { title: 't' }, 'webhook-url', /and 'token' are both empty/],
    [
      'both webhook and token',
      { 'webhook-url': WEBHOOK, token: 'x', title: 't' },
      'token',
      /cannot be combined with 'webhook-url'/,
    ],
    ['a token without channel', { token: 'x', title: 't' }, 'channel', /is required with 'token'/],
    [
      'a channel with a webhook',
      { 'webhook-url': WEBHOOK, channel: 'C1', title: 't' },
      'channel',
      /needs 'token'/,
    ],
    [
      'a title besides a report',
      { 'webhook-url': WEBHOOK, report: 'canary.json', title: 't' },
      'title',
      /cannot be combined with 'report'/,
    ],
    [
      'a report that is not a suite report',
      { 'webhook-url': WEBHOOK, report: 'other.json' },
      'report',
      /is not a suite report: is invalid at '?action/,
    ],
    [
      'a report that is not JSON',
      { 'webhook-url': WEBHOOK, report: 'broken.json' },
      'report',
      /is not a JSON file/,
    ],
    [
      'fields that are a list',
      { 'webhook-url': WEBHOOK, title: 't', fields: '- a\n- b' },
      'fields',
      /must be a YAML map/,
    ],
    [
      'fields that are not YAML',
      { 'webhook-url': WEBHOOK, title: 't', fields: 'a: [' },
      'fields',
      /is not valid YAML/,
    ],
    [
      'an unknown status',
      { 'webhook-url': WEBHOOK, title: 't', status: 'ok' },
      'status',
      /must be one of success, failure/,
    ],
    [
      'a malformed mention',
      { 'webhook-url': WEBHOOK, title: 't', 'mention-on-failure': '@here' },
      'mention-on-failure',
      /must be Slack mentions/,
    ],
  ])('refuses %s, naming the input', async (_name, inputs, input, message) => {
    let thrown: unknown;
    try {
      await read(inputs);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).input).toBe(input);
    expect((thrown as InputError).message).toMatch(message);
  });
});

describe('no report and no title', () => {
  it('falls back to a status message naming the job, the run and the status', async () => {
    const read = (name: string) => ({ 'webhook-url': WEBHOOK, status: 'cancelled' })[name] ?? '';
    const options = await readNotifyOptions(read, { workspace: tmpdir(), job: 'release', runId: '77' });
    expect(options.source).toMatchObject({
      kind: 'status',
      status: { status: 'cancelled', title: 'Job release of run 77: cancelled' },
    });
  });
});
