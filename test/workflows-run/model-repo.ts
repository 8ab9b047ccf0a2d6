import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { validatePayload } from '@recsys-actions/slack';
import { git, repoRoot, selfSignedCertificate } from '@recsys-actions/testkit';
import { startGitHubEmulator, type GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { SlackReceiver } from '@recsys-actions/testkit/slack/receiver';
import { parquetWriteBuffer } from 'hyparquet-writer';

/** The repository the GitHub emulator serves by default, so that `github.repository` and the API agree. */
export const ORIGIN = 'https://github.com/octo-org/recsys.git';

export const templatePath = (name: string) => join(repoRoot(), 'workflows-templates', `${name}.yml`);
export const demoFile = (path: string) => readFileSync(join(repoRoot(), 'demo', path), 'utf8');

/**
 * A user's model repository: a committed git repository (with a GitHub origin) holding the given files. The
 * runner clones its HEAD for every job, so later changes go through `commitFiles`.
 */
export function modelRepo(files: Record<string, string | Uint8Array>): string {
  const repo = mkdtempSync(join(tmpdir(), 'model-repo-'));
  git(repo, 'init', '--quiet', '--initial-branch=main');
  git(repo, 'remote', 'add', 'origin', ORIGIN);
  commitFiles(repo, files, 'model repository');
  return repo;
}

export function commitFiles(repo: string, files: Record<string, string | Uint8Array>, message: string): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
    // Scripts are committed executable, as a user's deploy hooks are, so a workflow can run them as ./x.sh.
    if (path.endsWith('.sh')) chmodSync(join(repo, path), 0o755);
  }
  git(repo, 'add', '.');
  git(
    repo,
    '-c',
    'user.name=test',
    '-c',
    'user.email=test@example.invalid',
    'commit',
    '--quiet',
    '-m',
    message,
  );
}

/**
 * A folder to put first on PATH with stand-ins for the commands a template runs that CI machines lack (CI
 * guarantees only Node and npm): name → POSIX sh body, run in the step's working directory with the same
 * arguments. Every call is appended to `calls.log` first, so a test can check what the workflow ran.
 */
export function standInCommands(commands: Record<string, string>): { path: string; calls: () => string[] } {
  const bin = mkdtempSync(join(tmpdir(), 'stand-in-bin-'));
  const log = join(bin, 'calls.log');
  for (const [name, body] of Object.entries(commands)) {
    const file = join(bin, name);
    writeFileSync(file, `#!/bin/sh\nset -eu\necho "${name} $*" >> "${log}"\n${body}\n`);
    chmodSync(file, 0o755);
  }
  return {
    path: `${bin}:${process.env.PATH ?? ''}`,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
  };
}

/**
 * A bare repository holding the given files on main, for workflows that push (the file router's `push:
 * branch`): each job clones it, and only what a job pushes is there for the next one and for the test.
 */
export function bareOrigin(files: Record<string, string | Uint8Array>): string {
  const work = modelRepo(files);
  const origin = `${work}.git`;
  git(work, 'clone', '--quiet', '--bare', work, origin);
  git(origin, 'remote', 'set-url', 'origin', ORIGIN);
  return origin;
}

/** What main of `origin` serves for `environment` (the file router's split) and its file ledger's entries. */
export function mainOf(origin: string, environment = 'production') {
  const traffic = JSON.parse(git(origin, 'show', `main:traffic/${environment}.json`)) as {
    split: { targets: { version: string; weight: number }[] };
  };
  const ledger = git(origin, 'show', `main:.recsys/ledger/${environment}.jsonl`);
  const journal = ledger.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  return { targets: traffic.split.targets, journal };
}

/** The file router's traffic file with v1 serving all of production, as a repository holds it before a release. */
export const V1_LIVE_TRAFFIC = `${JSON.stringify({
  environment: 'production',
  revision: 1,
  updatedAt: '2026-01-01T00:00:00.000Z',
  split: { targets: [{ version: 'v1', weight: 100 }], stickiness: 'request' },
})}\n`;

/** CSV text as Parquet: a column whose every value is a number becomes DOUBLE, any other STRING. */
export function csvToParquet(rows: string[]): Uint8Array {
  const [header = '', ...lines] = rows;
  const cells = lines.map((line) => line.split(','));
  const columnData = header.split(',').map((name, index) => {
    const values = cells.map((row) => row[index] ?? '');
    const numeric = values.every((value) => value !== '' && Number.isFinite(Number(value)));
    return numeric
      ? { name, data: values.map(Number), type: 'DOUBLE' as const }
      : { name, data: values, type: 'STRING' as const };
  });
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}

export interface GitHubAndSlack {
  readonly certificate: ReturnType<typeof selfSignedCertificate>;
  github: GitHubEmulator;
  slack: SlackReceiver;
}

/**
 * A GitHub emulator and a Slack receiver (https, its certificate trusted through NODE_EXTRA_CA_CERTS) started
 * before the tests of the calling describe block and closed after them; `github` and `slack` are set from its
 * beforeAll on.
 */
export function githubAndSlack(channel: string): GitHubAndSlack {
  const services = { certificate: selfSignedCertificate() } as GitHubAndSlack;
  beforeAll(async () => {
    services.github = await startGitHubEmulator();
    services.slack = await SlackReceiver.start({
      validate: validatePayload,
      tls: services.certificate,
      channels: [channel],
    });
  });
  afterAll(async () => {
    await services.slack.close();
    await services.github.close();
  });
  return services;
}
