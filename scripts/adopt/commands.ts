// The file-system side of `pnpm adopt`: reads this repository's starters and workflows, and writes only inside
// the directory the user names. Text changes come from ./rewrite.ts.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserFacingError } from '@recsys-actions/core';
import {
  fillDefaultBranch,
  flagError,
  jobsUsingLocalActionsBeforeCheckout,
  normaliseVendoredPath,
  parseBranch,
  parseUsesTarget,
  rewriteForFork,
  rewriteForVendored,
  type UsesTarget,
} from './rewrite';

export interface AdoptIo {
  out(line: string): void;
  err(line: string): void;
}

export interface AdoptContext {
  /** Where the starter templates are read from: this repository's `workflows-templates/`, or a test's copy. */
  templatesDir: string;
  /** What relative directories are relative to: where the user ran `pnpm adopt`, not where pnpm runs it. */
  cwd: string;
}

const USAGE = [
  'usage: pnpm adopt templates --org-repo DIR [--uses OWNER/REPO@REF]',
  '       pnpm adopt workflow NAME --repo DIR [--branch main] [--uses OWNER/REPO@REF]',
  '       pnpm adopt rewrite --repo DIR (--uses OWNER/REPO@REF | --vendored PATH)',
].join('\n');

/** Runs one `pnpm adopt` command; returns the exit code. User errors print one line, never a stack trace. */
export function runAdopt(argv: string[], io: AdoptIo, context: AdoptContext): number {
  const [command, ...rest] = argv;
  try {
    if (command === 'templates') installTemplates(rest, io, context);
    else if (command === 'workflow') installWorkflow(rest, io, context);
    else if (command === 'rewrite') rewriteWorkflows(rest, io, context);
    else if (command === 'help' || command === '--help' || command === '-h') io.out(USAGE);
    else {
      io.err(`${command === undefined ? 'no command given' : `unknown command '${command}'`}\n${USAGE}`);
      return 2;
    }
    return 0;
  } catch (error) {
    if (!(error instanceof UserFacingError)) throw error;
    io.err(`error: ${error.message}`);
    return 1;
  }
}

type Flags = Record<string, string | undefined>;

function parseFlags(
  args: string[],
  names: string[],
  example: string,
): { flags: Flags; positionals: string[] } {
  const options = Object.fromEntries(names.map((name) => [name, { type: 'string' as const }]));
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { flags: parsed.values as Flags, positionals: parsed.positionals };
  } catch (error) {
    // node's first sentence, e.g. "Unknown option '--repos'", then what this command accepts.
    // Checked by shape, not instanceof: node's errors may come from another realm (as under jest).
    const message = typeof error === 'object' && error !== null && 'message' in error ? error.message : error;
    const problem = String(message).split(/\.\s/)[0];
    const accepted = names.map((name) => `--${name}`).join(', ');
    throw new UserFacingError(`${problem}; this command accepts ${accepted}. Example: pnpm adopt ${example}`);
  }
}

/** The directory a flag names, which must exist: `what` says which checkout it should be. */
function requireDirectory(
  context: AdoptContext,
  flags: Flags,
  flag: string,
  what: string,
  example: string,
): string {
  const value = flags[flag];
  if (value === undefined) throw flagError(flag, `is required: a checkout of ${what}`, example);
  const dir = resolve(context.cwd, value);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw flagError(flag, `must be a checkout of ${what}, and '${value}' is no directory`, example);
  }
  return dir;
}

function optionalTarget(flags: Flags): UsesTarget | undefined {
  return flags.uses === undefined ? undefined : parseUsesTarget(flags.uses);
}

/** Writes `text` to `root/path`, refusing anything that would land outside root (`..`, symlinks). */
function writeInside(root: string, path: string, text: string, io: AdoptIo): void {
  const target = resolve(root, path);
  const outside = (dir: string, base: string) => {
    const rel = relative(base, dir);
    return rel.startsWith('..') || isAbsolute(rel);
  };
  if (outside(target, root)) throw new UserFacingError(`refusing to write ${target}: it is outside ${root}`);
  mkdirSync(dirname(target), { recursive: true });
  const linked = existsSync(target) && lstatSync(target).isSymbolicLink();
  if (linked || outside(realpathSync(dirname(target)), realpathSync(root))) {
    throw new UserFacingError(`refusing to write ${target}: a symbolic link leads outside ${root}`);
  }
  const unchanged = existsSync(target) && readFileSync(target, 'utf8') === text;
  if (!unchanged) writeFileSync(target, text);
  io.out(`${unchanged ? 'unchanged' : 'wrote'} ${relative(root, target)}`);
}

function templateNames(context: AdoptContext): string[] {
  return readdirSync(context.templatesDir)
    .filter((file) => file.endsWith('.yml'))
    .map((file) => file.slice(0, -'.yml'.length))
    .sort();
}

const pointAt = (text: string, target: UsesTarget | undefined) =>
  target === undefined ? text : rewriteForFork(text, target);

function installTemplates(args: string[], io: AdoptIo, context: AdoptContext): void {
  const { flags } = parseFlags(args, ['org-repo', 'uses'], 'templates --org-repo ../.github');
  const orgRepo = requireDirectory(
    context,
    flags,
    'org-repo',
    "your organisation's .github repository",
    '../.github',
  );
  const target = optionalTarget(flags);
  for (const name of templateNames(context)) {
    const workflow = readFileSync(join(context.templatesDir, `${name}.yml`), 'utf8');
    const properties = readFileSync(join(context.templatesDir, `${name}.properties.json`), 'utf8');
    // `$default-branch` stays: GitHub fills it in when someone picks the template on the "New workflow" page.
    writeInside(orgRepo, `workflow-templates/${name}.yml`, pointAt(workflow, target), io);
    writeInside(orgRepo, `workflow-templates/${name}.properties.json`, properties, io);
  }
}

function installWorkflow(args: string[], io: AdoptIo, context: AdoptContext): void {
  const { flags, positionals } = parseFlags(
    args,
    ['repo', 'branch', 'uses'],
    'workflow recsys-model-ci --repo .',
  );
  const names = templateNames(context);
  const [name] = positionals;
  if (name === undefined || positionals.length > 1 || !names.includes(name)) {
    const got = name === undefined ? 'none' : `'${positionals.join(' ')}'`;
    throw new UserFacingError(
      `NAME must be one starter template (got ${got}); choose from: ${names.join(', ')}`,
    );
  }
  const repo = requireDirectory(context, flags, 'repo', 'the repository to change', '../my-model-repo');
  const target = optionalTarget(flags);
  const branch = flags.branch === undefined ? gitDefaultBranch(repo) : parseBranch(flags.branch);
  const template = readFileSync(join(context.templatesDir, `${name}.yml`), 'utf8');
  writeInside(
    repo,
    `.github/workflows/${name}.yml`,
    fillDefaultBranch(pointAt(template, target), branch),
    io,
  );
}

/** origin's default branch when the checkout knows it, else the branch checked out (also before a commit). */
function gitDefaultBranch(repo: string): string {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', ['-C', repo, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return '';
    }
  };
  const originHead = git('symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD');
  const branch = originHead.replace(/^[^/]+\//, '') || git('branch', '--show-current');
  if (branch === '') {
    throw flagError('branch', `is needed: ${repo} has no git default or current branch to read`, 'main');
  }
  return branch;
}

function rewriteWorkflows(args: string[], io: AdoptIo, context: AdoptContext): void {
  const { flags } = parseFlags(
    args,
    ['repo', 'uses', 'vendored'],
    'rewrite --repo . --uses my-org/recsys-actions@v1',
  );
  const repo = requireDirectory(context, flags, 'repo', 'the repository to change', '../my-model-repo');
  if ((flags.uses === undefined) === (flags.vendored === undefined)) {
    throw flagError('uses', 'or --vendored is required, but not both', 'my-org/recsys-actions@v1');
  }
  const workflowsDir = join(repo, '.github', 'workflows');
  if (!existsSync(workflowsDir)) {
    throw flagError('repo', `must hold a .github/workflows folder; ${workflowsDir} does not exist`, '.');
  }
  const files = readdirSync(workflowsDir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
  const rewrite =
    flags.uses === undefined ? vendoredRewriter(repo, flags.vendored ?? '', files) : forkRewriter(flags.uses);
  // Rewrite everything first, so a workflow that cannot be vendored leaves no file half-done.
  const rewritten = files.map((file) => ({
    file,
    text: rewrite(readFileSync(join(workflowsDir, file), 'utf8')),
  }));
  for (const { file, text } of rewritten) {
    writeInside(repo, `.github/workflows/${file}`, text, io);
    if (flags.vendored === undefined) continue;
    for (const job of jobsUsingLocalActionsBeforeCheckout(text)) {
      io.err(
        `warning: job '${job}' in ${file} uses a vendored action before actions/checkout; add a checkout step first`,
      );
    }
  }
}

function forkRewriter(uses: string): (text: string) => string {
  const target = parseUsesTarget(uses);
  return (text) => rewriteForFork(text, target);
}

function vendoredRewriter(repo: string, value: string, files: string[]): (text: string) => string {
  const path = normaliseVendoredPath(value);
  if (!existsSync(join(repo, path, 'actions'))) {
    throw flagError(
      'vendored',
      `must name the vendored copy's root, and ${path}/actions does not exist`,
      'vendor/recsys-actions',
    );
  }
  const layout = { path, localWorkflows: new Set(files) };
  return (text) => rewriteForVendored(text, layout);
}
