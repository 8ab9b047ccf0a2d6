import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '@recsys-actions/testkit';
import { runWorkflow, summarize } from '../src/index';
import { fixtureRepo, workflowFile } from './fixture-repo';

const repo = fixtureRepo();

async function untilExists(file: string): Promise<void> {
  while (!existsSync(file) || readFileSync(file, 'utf8') === '') await sleep(50);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('cancelling a run', () => {
  it('stops the running step, cancels its job and runs only the always() and cancelled() steps and jobs', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'cancel-')), 'running');
    const controller = new AbortController();
    const log: string[] = [];
    const running = runWorkflow(workflowFile(repo, 'cancel'), {
      repo,
      signal: controller.signal,
      inputs: { marker },
      log: (line) => log.push(line),
    });
    await untilExists(marker);
    controller.abort();
    const result = await running;
    const summary = summarize(result);
    expect(summary.conclusion).toBe('cancelled');
    expect(summary.jobs).toEqual({
      before: { conclusion: 'success', outputs: {} },
      long: {
        conclusion: 'cancelled',
        outputs: { outcomes: 'cancelled,skipped,success,success,skipped', status: 'cancelled' },
      },
      dependent: { conclusion: 'skipped', outputs: {} },
      // A job that starts after the cancellation runs its steps as usual: its own status is success.
      rescue: { conclusion: 'success', outputs: { status: 'success' } },
      report: { conclusion: 'success', outputs: { results: 'cancelled,skipped,success' } },
    });
    expect(result.jobs.long?.legs.map((leg) => [leg.matrix.leg, leg.conclusion])).toEqual([
      ['first', 'cancelled'],
      ['second', 'cancelled'],
    ]);
    expect(result.jobs.long?.legs[0]?.steps[0]?.errors).toEqual([expect.stringMatching(/ was cancelled$/)]);
    expect(log).toContain('[long] leg {"leg":"second"} cancelled: the run was cancelled');
    expect(isAlive(Number(readFileSync(marker, 'utf8')))).toBe(false);
    expect(existsSync(`${marker}.finished`)).toBe(false);
  });

  it('lets a running job and step whose if: still holds with cancelled() go on', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'cancel-always-')), 'running');
    const controller = new AbortController();
    const running = runWorkflow(workflowFile(repo, 'cancel-always'), {
      repo,
      signal: controller.signal,
      inputs: { marker },
      log: () => undefined,
    });
    await untilExists(marker);
    controller.abort();
    expect(summarize(await running)).toEqual({
      conclusion: 'cancelled',
      outputs: {},
      jobs: {
        cleanup: { conclusion: 'success', outputs: { done: 'yes', next: 'success' } },
        after: { conclusion: 'skipped', outputs: {} },
      },
    });
  });

  it('cancels on SIGINT from the command line and exits 130', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'cancel-cli-')), 'running');
    const cliFile = join(repoRoot(), 'tools', 'workflow-runner', 'src', 'cli.ts');
    // node itself with tsx's loader, so the exit code is the CLI's, not that of a wrapper a signal ended.
    const loader = pathToFileURL(join(repoRoot(), 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    const args = [
      '--import',
      loader,
      cliFile,
      'run',
      workflowFile(repo, 'cancel'),
      '--input',
      `marker=${marker}`,
    ];
    const child = spawn(process.execPath, args, {
      cwd: repo,
      env: { ...process.env, INIT_CWD: repo },
      detached: true, // a process group of its own, as a terminal's foreground job is
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await untilExists(marker);
    // Ctrl-C: the terminal signals the whole foreground group (pnpm's shell wrapper, tsx, node).
    process.kill(-(child.pid ?? 0), 'SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, tail: stdout.trim().split('\n').slice(-6) }).toEqual({
      code: 130,
      tail: [
        'workflow cancelled',
        '  before: success',
        '  long: cancelled',
        '  dependent: skipped',
        '  rescue: success',
        '  report: success',
      ],
    });
    expect(stdout).toContain('SIGINT: cancelling the run');
  });
});
