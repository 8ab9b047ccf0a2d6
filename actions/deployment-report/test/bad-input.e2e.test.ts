import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectCleanFailure, runAction } from '@recsys-actions/testkit';
import { marchWorkspace, UNTIL } from './workspaces';

const ledgerFile = (workspace: string) => join(workspace, '.recsys/ledger/production.jsonl');

function report(workspace: string, inputs: Record<string, string>) {
  return runAction({
    action: 'deployment-report',
    workspace,
    inputs: { environment: 'production', until: UNTIL, ledger: 'file', ...inputs },
  });
}

describe('deployment-report refuses bad input with one clear error naming the input (built dist)', () => {
  it('an environment nothing was recorded for', async () => {
    const { workspace } = await marchWorkspace();
    const error = expectCleanFailure(await report(workspace, { environment: 'production, prodution' }));
    expect(error).toBe(
      "Input 'environment' names 'prodution', for which nothing was ever recorded (file .recsys/ledger/prodution.jsonl holds no release step); check the spelling, or run shift-traffic there first. Example: environment: production",
    );
  });

  it('a window that is not a duration', async () => {
    const { workspace } = await marchWorkspace();
    const error = expectCleanFailure(await report(workspace, { since: 'last month' }));
    expect(error).toBe(
      "Input 'since' must be a duration such as 30s, 15m, 1h or 28d, got 'last month'. Example: since: 28d",
    );
  });

  it('a min-band that is not a band, and an until that is not a time', async () => {
    const { workspace } = await marchWorkspace();
    expect(expectCleanFailure(await report(workspace, { 'min-band': 'great' }))).toBe(
      "Input 'min-band' must be one of elite, high, medium, low, got 'great'. Example: min-band: elite",
    );
    expect(expectCleanFailure(await report(workspace, { until: 'yesterday' }))).toMatch(
      /^Input 'until' must be an ISO 8601 time with a zone, got 'yesterday'/,
    );
  });

  it('a ledger line that is not valid, with its line number', async () => {
    const { workspace } = await marchWorkspace();
    const lines = readFileSync(ledgerFile(workspace), 'utf8').split('\n');
    lines[2] = '{"type":"intent","key":"broken"';
    writeFileSync(ledgerFile(workspace), lines.join('\n'));
    const error = expectCleanFailure(await report(workspace, {}));
    expect(error).toMatch(
      /^Input 'ledger-path' points at a ledger that is not valid: \.recsys\/ledger\/production\.jsonl \(line 3\): is not valid JSON/,
    );
  });

  it('warns about a torn last line, skips it and reports the rest', async () => {
    const { workspace } = await marchWorkspace();
    appendFileSync(ledgerFile(workspace), '{"type":"intent","key":"run-99');
    const run = await report(workspace, {});
    expect(run.exitCode).toBe(0);
    expect(run.warnings).toEqual([
      '.recsys/ledger/production.jsonl: ignored an incomplete last line (30 bytes) left by an interrupted write',
    ]);
    expect(JSON.parse(run.outputs.metrics ?? '')[0]).toMatchObject({ deployments: 3 });
  });
});
