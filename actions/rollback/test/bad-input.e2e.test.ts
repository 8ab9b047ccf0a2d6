import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectCleanFailure, workspaceWith } from '@recsys-actions/testkit';
import { snapshot, step, trafficFile } from '../../shift-traffic/test/helpers';

const LEDGER = [
  { type: 'promoted', version: 'v1', actor: 'octocat', timestamp: '2026-03-01T09:00:00.000Z' },
  { type: 'canary', version: 'v2', weight: 10, actor: 'octocat', timestamp: '2026-03-02T09:00:00.000Z' },
]
  .map((event) => `${JSON.stringify(event)}\n`)
  .join('');

describe('rollback bad input', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'a confirm that is not the environment',
      { reason: 'errors', confirm: 'prod' },
      /^Input 'confirm' must equal the environment name 'production' to confirm the rollback, got 'prod'. Example: confirm: production$/,
    ],
    ['a missing reason', {}, /^Input 'reason' is required. Example: reason: /],
    ['a blank reason', { reason: '   ' }, /^Input 'reason' is required/],
    [
      'a bad to-version',
      { reason: 'x', 'to-version': '../v1' },
      /^Input 'to-version' must start with a letter/,
    ],
    [
      'a health-url that is no URL',
      { reason: 'x', 'health-url': 'localhost/healthz' },
      /^Input 'health-url' must be an http or https URL/,
    ],
    [
      'a bad health-timeout',
      { reason: 'x', 'health-timeout': 'soon' },
      /^Input 'health-timeout' must be a duration/,
    ],
    [
      'an unknown router',
      { reason: 'x', router: 'istio' },
      /^Input 'router' must be one of file, nginx, .*sagemaker, lambda, alb.*, got 'istio'/,
    ],
    [
      'a file router-config with an unknown key',
      { reason: 'x', 'router-config': '{ file: traffic/p.json }' },
      /^Input 'router-config' for router 'file' has an unknown key 'file'/,
    ],
    [
      'a ledger-path with a ledger that is not file',
      { reason: 'x', ledger: 'none', 'ledger-path': 'deploys.jsonl' },
      /^Input 'ledger-path' only applies to ledger 'file'/,
    ],
  ];

  it.each(cases)('rejects %s with one clear error line and changes nothing', async (_, inputs, message) => {
    const workspace = workspaceWith({
      'traffic/production.json': trafficFile({ v1: 90, v2: 10 }),
      '.recsys/ledger/production.jsonl': LEDGER,
    });
    const before = snapshot(workspace);
    const run = await step('rollback', workspace, inputs);
    expect(expectCleanFailure(run)).toMatch(message);
    expect(snapshot(workspace)).toEqual(before);
    expect(run.outputs['report-path']).toBeUndefined();
  });

  it.each([
    ['ledger-path', { 'ledger-path': 'deploys.jsonl' }, 'deploys.jsonl'],
    ['router-config', { 'router-config': '{ path: traffic/live.json }' }, 'traffic/live.json'],
  ])(
    'refuses a %s that is a dangling symlink out of the workspace, writing nothing there',
    async (input, inputs, link) => {
      const outside = join(mkdtempSync(join(tmpdir(), 'outside-')), 'target');
      const workspace = workspaceWith({
        'traffic/production.json': trafficFile({ v1: 90, v2: 10 }),
        '.recsys/ledger/production.jsonl': LEDGER,
      });
      symlinkSync(outside, join(workspace, link));
      const run = await step('rollback', workspace, { reason: 'x', ledger: 'file', ...inputs });
      expect(expectCleanFailure(run)).toMatch(new RegExp(`^Input '${input}' .*points outside the workspace`));
      expect(snapshot(join(outside, '..'))).toEqual({});
    },
  );
});
