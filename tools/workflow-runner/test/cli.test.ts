import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@recsys-actions/testkit';
import { parseArguments } from '../src/cli-arguments';
import { fixtureRepo, workflowFile } from './fixture-repo';

const repo = fixtureRepo();

function cli(...args: string[]) {
  const tsx = join(repoRoot(), 'node_modules', '.bin', 'tsx');
  const cliFile = join(repoRoot(), 'tools', 'workflow-runner', 'src', 'cli.ts');
  return spawnSync(tsx, [cliFile, ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, INIT_CWD: repo },
  });
}

describe('pnpm workflow run', () => {
  it('parses repeated --input and --secret, resolving paths from where pnpm was started', () => {
    const started = process.env.INIT_CWD;
    process.env.INIT_CWD = '/somewhere';
    const command = parseArguments([
      'run',
      'w.yml',
      '--input',
      'a=1=2',
      '--secret',
      's=x',
      '--input',
      'b=',
      '--json',
      'o.json',
    ]);
    expect(command).toEqual({
      file: '/somewhere/w.yml',
      json: '/somewhere/o.json',
      options: { inputs: { a: '1=2', b: '' }, secrets: { s: 'x' } },
    });
    expect(() => parseArguments(['run', 'w.yml', '--input', 'novalue'])).toThrow(
      '--input takes name=value. Example: --input environment=staging',
    );
    expect(() => parseArguments(['run', 'w.yml', '--bogus', 'x'])).toThrow(/^unknown option --bogus/);
    if (started === undefined) delete process.env.INIT_CWD;
    else process.env.INIT_CWD = started;
  });

  it('exits 1 when a job failed and writes --json', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'workflow-cli-')), 'result.json');
    const run = cli('run', workflowFile(repo, 'bad-expression'), '--json', out);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("[broken] error: cannot evaluate ${{ fromJSON('5,10') }}");
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({
      conclusion: 'failure',
      outputs: {},
      jobs: { broken: { conclusion: 'failure', outputs: {} }, fine: { conclusion: 'success', outputs: {} } },
    });
  });

  it('exits 2 with one error line when the workflow cannot run here', () => {
    const run = cli('run', workflowFile(repo, 'third-party'));
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error: The workflow runner cannot run 'actions\/setup-node@49933ea/),
    ]);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' })).toBe('');
  });
});
