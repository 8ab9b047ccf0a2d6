import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOutputFile, repoRoot } from '@recsys-actions/testkit';

interface BodyRun {
  exitCode: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
  runnerTemp: string;
}

/** Runs a fixture body under runAction in a child process, with the runner's files and variables. */
async function runBody(body: string, env: Record<string, string> = {}): Promise<BodyRun> {
  const runnerTemp = mkdtempSync(join(tmpdir(), 'runtime-test-'));
  const workspace = mkdtempSync(join(tmpdir(), 'workspace-'));
  const output = join(runnerTemp, 'output');
  const summary = join(runnerTemp, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot(), 'actions/runtime/test/fixtures/run-body.ts')],
    {
      cwd: repoRoot(),
      env: {
        PATH: process.env.PATH ?? '',
        BODY: body,
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_REPOSITORY: 'octo-org/recsys',
        GITHUB_RUN_ID: '4242',
        RUNNER_TEMP: runnerTemp,
        ...env,
      },
    },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return {
    exitCode,
    stdout,
    outputs: parseOutputFile(readFileSync(output, 'utf8')),
    summary: readFileSync(summary, 'utf8'),
    workspace,
    runnerTemp,
  };
}

const lines = (stdout: string, command: string) =>
  stdout.split('\n').filter((line) => line.startsWith(`::${command}::`));

describe('runAction', () => {
  it('masks the token input before the body runs, so an error that echoes it prints only the mask', async () => {
    const token = 'ghp_EchoedSecret0123456789';
    const run = await runBody('echoed-token', { INPUT_TOKEN: token });
    expect(run.exitCode).not.toBe(0);
    const commands = run.stdout.split('\n');
    const maskedAt = commands.indexOf(`::add-mask::${token}`);
    const printedAt = commands.findIndex((line) => line.includes(token) && !line.startsWith('::add-mask::'));
    expect(maskedAt).toBeGreaterThanOrEqual(0);
    // The runner replaces a masked value in every later line, so the mask must come before the echo.
    expect(printedAt).toBeGreaterThan(maskedAt);
  });

  it('turns a UserFacingError into one ::error:: line with workspace paths made relative', async () => {
    const run = await runBody('user-error');
    expect(run.exitCode).toBe(1);
    expect(lines(run.stdout, 'error')).toEqual([
      "::error::Input 'metrics' cannot be read: no file at data/m.json",
    ]);
    expect(run.stdout).not.toContain(run.workspace);
  });

  it('reports any other error as a failure of the action, with the stack only in the debug log', async () => {
    const run = await runBody('bug');
    expect(run.exitCode).toBe(1);
    expect(lines(run.stdout, 'error')).toEqual([
      "::error::validate-model failed unexpectedly: Cannot read properties of undefined (reading 'rmse')",
    ]);
    const debug = lines(run.stdout, 'debug');
    expect(debug).toHaveLength(1);
    expect(debug[0]).toMatch(/^::debug::TypeError: Cannot read properties.*%0A\s+at /);
  });
});

describe('the ActionContext of runAction', () => {
  it('masks secrets, logs one-line warnings and writes outputs, the report file and the step summary', async () => {
    const run = await runBody('publish');
    expect(run.exitCode).toBe(0);
    expect(lines(run.stdout, 'error')).toEqual([]);
    expect(lines(run.stdout, 'add-mask')).toEqual(['::add-mask::s3cret-token']);
    expect(lines(run.stdout, 'warning')).toEqual(['::warning::first line second line']);
    expect(run.stdout).toContain('computing\n');

    const reportPath = join(run.runnerTemp, 'recsys-actions', 'validate-model-report.json');
    expect(run.outputs).toMatchObject({
      passed: 'true',
      count: '3',
      metrics: '{"rmse":0.8}',
      'report-path': reportPath,
    });
    expect(run.outputs).not.toHaveProperty('skipped');
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Record<string, unknown>;
    expect(report).toMatchObject({
      schemaVersion: 1,
      action: 'validate-model',
      verdict: 'pass',
      title: 'All 1 checks passed.',
      links: {
        repository: 'https://github.com/octo-org/recsys',
        run: 'https://github.com/octo-org/recsys/actions/runs/4242',
      },
    });
    expect(JSON.parse(run.outputs.report ?? '{}')).toEqual(report);
    expect(run.summary).toContain('validate-model: **pass**');
    expect(run.summary).toContain('All 1 checks passed.');
  });

  it('runs a script with bash in the workspace, its output in a log group, values from env and no INPUT_*', async () => {
    const run = await runBody('exec', { INPUT_TOKEN: 'ghs_secret' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['exit-code']).toBe('4');
    const lines = run.stdout.split('\n');
    const group = lines.indexOf('::group::deploy-command (v2)');
    expect(group).toBeGreaterThanOrEqual(0);
    expect(lines.slice(group + 1, lines.indexOf('::endgroup::'))).toContain(
      `in ${run.workspace}: {"targets":[{"version":"v2;$(id)","weight":100}]} no token`,
    );
  });

  it('writes the report where report-path asks, inside the workspace', async () => {
    const run = await runBody('publish', { 'INPUT_REPORT-PATH': 'reports/model.json' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['report-path']).toBe(join(run.workspace, 'reports', 'model.json'));
    expect(existsSync(join(run.workspace, 'reports', 'model.json'))).toBe(true);
    expect(existsSync(join(run.runnerTemp, 'recsys-actions'))).toBe(false);
  });
});
