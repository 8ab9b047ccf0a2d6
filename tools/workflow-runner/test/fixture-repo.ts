import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/**
 * A committed git repository holding every fixture workflow under .github/workflows, a README and the
 * given extra files (path → content, or a folder to copy when `copy` names it).
 */
export function fixtureRepo(files: Record<string, string> = {}, copy: Record<string, string> = {}): string {
  const repo = mkdtempSync(join(tmpdir(), 'workflow-fixture-'));
  const workflows = join(repo, '.github', 'workflows');
  mkdirSync(workflows, { recursive: true });
  for (const name of readdirSync(fixtures)) cpSync(join(fixtures, name), join(workflows, name));
  writeFileSync(join(repo, 'README.md'), '# fixture\n');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  for (const [path, source] of Object.entries(copy)) cpSync(source, join(repo, path), { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '--quiet', '--initial-branch=main');
  git('add', '.');
  git(
    '-c',
    'user.name=fixture',
    '-c',
    'user.email=fixture@example.invalid',
    'commit',
    '--quiet',
    '-m',
    'fixture',
  );
  return repo;
}

export const workflowFile = (repo: string, name: string) => join(repo, '.github', 'workflows', `${name}.yml`);
