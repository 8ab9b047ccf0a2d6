import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandMessages, parseOutputFile } from '@recsys-actions/testkit';
import {
  appendJobSummary,
  failStep,
  inGroup,
  logWarning,
  maskSecret,
  readInput,
  writeOutput,
} from '../src/commands';

/** What the commands wrote to stdout while `body` ran. */
async function stdoutOf(body: () => unknown): Promise<string> {
  let written = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    await body();
  } finally {
    process.stdout.write = write;
  }
  return written;
}

function withRunnerFile(variable: 'GITHUB_OUTPUT' | 'GITHUB_STEP_SUMMARY'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'commands-')), variable.toLowerCase());
  writeFileSync(file, '');
  process.env[variable] = file;
  return file;
}

afterEach(() => {
  delete process.env.GITHUB_OUTPUT;
  delete process.env.GITHUB_STEP_SUMMARY;
  process.exitCode = undefined;
});

describe('workflow commands', () => {
  it('reads an input as the runner names it: upper case, spaces as underscores, trimmed', () => {
    const env = { 'INPUT_REPORT-PATH': '  out.json \n', INPUT_MY_INPUT: 'x' };
    expect(readInput('report-path', env)).toBe('out.json');
    expect(readInput('my input', env)).toBe('x');
    expect(readInput('absent', env)).toBe('');
  });

  it('writes outputs as heredocs the runner parses back, multi-line JSON and objects included', () => {
    const file = withRunnerFile('GITHUB_OUTPUT');
    writeOutput('report', '{\n  "a": "100%"\n}');
    writeOutput('metrics', [{ k: 10 }]);
    writeOutput('changed', true);
    expect(parseOutputFile(readFileSync(file, 'utf8'))).toEqual({
      report: '{\n  "a": "100%"\n}',
      metrics: '[{"k":10}]',
      changed: 'true',
    });
  });

  it('escapes %, CR and LF in command data, so a multi-line message stays one command', async () => {
    const stdout = await stdoutOf(() => logWarning('50% done\r\nnext line'));
    expect(stdout).toBe('::warning::50%25 done%0D%0Anext line\n');
    expect(commandMessages(stdout, 'warning')).toEqual(['50% done\r\nnext line']);
  });

  it('masks a secret with add-mask and fails the step with one error line and exit code 1', async () => {
    const stdout = await stdoutOf(() => {
      maskSecret('s3cr3t');
      failStep('Input token is not valid');
    });
    expect(stdout.split('\n')).toEqual(['::add-mask::s3cr3t', '::error::Input token is not valid', '']);
    expect(process.exitCode).toBe(1);
  });

  it('closes a group when its body throws, and passes the error on', async () => {
    let thrown: unknown;
    const stdout = await stdoutOf(() =>
      inGroup('Reading', () => Promise.reject(new Error('boom'))).catch((error: unknown) => (thrown = error)),
    );
    expect(stdout).toBe('::group::Reading\n::endgroup::\n');
    expect(thrown).toEqual(new Error('boom'));
  });

  it('appends to the job summary only when the runner gives one', () => {
    appendJobSummary('ignored without a summary file');
    const file = withRunnerFile('GITHUB_STEP_SUMMARY');
    appendJobSummary('# one\n');
    appendJobSummary('two\n');
    expect(readFileSync(file, 'utf8')).toBe('# one\ntwo\n');
  });
});
