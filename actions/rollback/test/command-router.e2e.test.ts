import { workspaceWith } from '@recsys-actions/testkit';
import { expectSuccess, journalSummary, step } from '../../shift-traffic/test/helpers';
import { COMMAND_ROUTER, liveSplit, PLATFORM_SCRIPTS } from '../../shift-traffic/test/command-platform';

describe('rollback with the command router (built dist, runner emulation)', () => {
  it('sends all traffic back to the stable version through apply-command', async () => {
    const workspace = workspaceWith(PLATFORM_SCRIPTS);
    expectSuccess(
      await step('shift-traffic', workspace, {
        ...COMMAND_ROUTER,
        'stable-version': 'v1',
        'canary-version': 'v2',
        'canary-weight': 25,
      }),
    );
    const run = await step('rollback', workspace, { ...COMMAND_ROUTER, reason: 'errors up' });
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ 'from-version': 'v2', 'to-version': 'v1' });
    expect(liveSplit(workspace)).toEqual({
      targets: [{ version: 'v1', weight: 100 }],
      stickiness: 'request',
    });
    expect(journalSummary(workspace).slice(-2)).toEqual(['intent rollback v1 v1:100', 'outcome applied']);
  });
});
