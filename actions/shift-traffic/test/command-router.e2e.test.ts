import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectCleanFailure, workspaceWith } from '@recsys-actions/testkit';
import { COMMAND_ROUTER, liveSplit, PLATFORM_SCRIPTS } from './command-platform';
import { expectSuccess, journalSummary, snapshot, step } from './helpers';

describe('shift-traffic with the command router (built dist, runner emulation)', () => {
  it('hands each split to apply-command and reads it back through observe-command', async () => {
    const workspace = workspaceWith(PLATFORM_SCRIPTS);
    const shift = (weight: number) =>
      step('shift-traffic', workspace, {
        ...COMMAND_ROUTER,
        'stable-version': 'v1',
        'canary-version': 'v2',
        'canary-weight': weight,
        stickiness: 'user',
      });
    const canary = await shift(10);
    expectSuccess(canary);
    expect(liveSplit(workspace)).toEqual({
      targets: [
        { version: 'v1', weight: 90 },
        { version: 'v2', weight: 10 },
      ],
      stickiness: 'user',
    });
    expect(canary.stdout).toContain('::group::apply-command (production: v1 90%25 / v2 10%25 (per user))');
    // Output without a final newline still ends its group on a line of its own.
    expect(canary.stdout).not.toMatch(/.::endgroup::/);
    expect(canary.stdout).toContain('set production to {"targets":[{"version":"v1","weight":90}');
    expect(JSON.parse(canary.outputs['previous-split'] ?? '')).toEqual({
      targets: [{ version: 'v1', weight: 100 }],
      stickiness: 'request',
    });

    expectSuccess(await shift(100));
    expect(liveSplit(workspace)).toEqual({ targets: [{ version: 'v2', weight: 100 }], stickiness: 'user' });
    expect(journalSummary(workspace)).toEqual([
      'intent shift v2 v1:90/v2:10',
      'outcome applied',
      'intent shift v2 v2:100',
      'outcome applied',
    ]);
  });

  it("runs the scripts as a shell: bash step does, without the runner user's ~/.bashrc", async () => {
    // bash reads ~/.bashrc for a -c script whose stdin is a socket (as Node's pipes are) unless told --norc: a
    // self-hosted runner's shell set-up would run before every script.
    const home = mkdtempSync(join(tmpdir(), 'runner-home-'));
    writeFileSync(join(home, '.bashrc'), 'echo sourced >> "$HOME/bashrc-ran"\n');
    const workspace = workspaceWith(PLATFORM_SCRIPTS);
    const run = await step(
      'shift-traffic',
      workspace,
      { ...COMMAND_ROUTER, 'stable-version': 'v1', 'canary-version': 'v2', 'canary-weight': 10 },
      { env: { HOME: home } },
    );
    expectSuccess(run);
    expect(existsSync(join(home, 'bashrc-ran'))).toBe(false);
  });

  it('fails cleanly, journaling no success, when apply-command fails before touching anything', async () => {
    const workspace = workspaceWith({
      ...PLATFORM_SCRIPTS,
      'deploy/set-split.sh': 'echo denied >&2; exit 4\n',
    });
    const run = await step('shift-traffic', workspace, {
      ...COMMAND_ROUTER,
      'stable-version': 'v1',
      'canary-version': 'v2',
      'canary-weight': 10,
    });
    expect(expectCleanFailure(run)).toContain(
      "The router's apply-command exited with code 4. Nothing was changed: it still serves v1 100% (per request).",
    );
    expect(liveSplit(workspace)).toEqual({
      targets: [{ version: 'v1', weight: 100 }],
      stickiness: 'request',
    });
    expect(journalSummary(workspace).filter((line) => line.startsWith('outcome'))).not.toContain(
      'outcome applied',
    );
  });

  it('refuses a live split that does not match stable-version, running no apply-command', async () => {
    const workspace = workspaceWith(PLATFORM_SCRIPTS);
    const before = snapshot(workspace);
    const run = await step('shift-traffic', workspace, {
      ...COMMAND_ROUTER,
      'stable-version': 'v0',
      'canary-version': 'v2',
      'canary-weight': 10,
    });
    expect(expectCleanFailure(run)).toContain('v0');
    expect(run.stdout).not.toContain('::group::apply-command');
    expect(snapshot(workspace)).toEqual(before);
  });
});
