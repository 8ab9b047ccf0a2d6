// `pnpm local-action <action> [envfile]`: runs an action from its TypeScript source with @github/local-action.
// Two things stop a plain `npx local-action run actions/<a> src/run.ts .env` from working here:
// - local-action does not apply action.yml's input defaults, and every action relies on them, so this writes
//   an env file of the defaults overlaid with the given one (whose lines win);
// - local-action lists the outputs its @actions/core stub saw, but the runtime writes workflow commands and
//   GITHUB_OUTPUT itself (actions/runtime/src/commands.ts), so local-action would say "No outputs were set!".
//   This gives the run a GITHUB_OUTPUT and GITHUB_STEP_SUMMARY file and prints both afterwards.
// - local-action stubs @actions/github and @actions/cache only where `pnpm list` run in the current folder finds
//   them, and only in pnpm mode, which its launcher picks from the action's own package.json. Those packages are
//   dependencies of actions/runtime, so this starts local-action's CLI itself, in pnpm mode, from there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  actionInputs,
  inputVariableName,
  parseOutputFile,
  readActionManifest,
  repoRoot,
} from '@recsys-actions/testkit';

const [action, envFile] = process.argv.slice(2);
if (!action || !existsSync(join(repoRoot(), 'actions', action, 'action.yml'))) {
  console.error('usage: pnpm local-action <action> [envfile]   (action: a folder under actions/)');
  process.exit(2);
}

// `${{ github.token }}` defaults take GITHUB_TOKEN from your shell, as the runner would give the job's token.
const defaults = actionInputs(readActionManifest(action), {}, process.env.GITHUB_TOKEN ?? '');
const runFiles = mkdtempSync(join(tmpdir(), 'local-action-'));
const outputFile = join(runFiles, 'output');
const summaryFile = join(runFiles, 'summary.md');
writeFileSync(outputFile, '');
writeFileSync(summaryFile, '');
const lines = [
  `GITHUB_WORKSPACE=${process.cwd()}`,
  `GITHUB_OUTPUT=${outputFile}`,
  `GITHUB_STEP_SUMMARY=${summaryFile}`,
  ...Object.entries(defaults).map(([name, value]) => `${inputVariableName(name)}=${JSON.stringify(value)}`),
  ...(envFile ? [readFileSync(envFile, 'utf8')] : []),
];
const merged = join(runFiles, '.env');
writeFileSync(merged, `${lines.join('\n')}\n`);

const actionPath = join(repoRoot(), 'actions', action);
const cli = join(repoRoot(), 'node_modules', '@github', 'local-action', 'src', 'index.ts');
/** What the runner would have shown: the step's outputs, and where its job summary is. */
function printRunFiles(): void {
  const outputs = Object.entries(parseOutputFile(readFileSync(outputFile, 'utf8')));
  console.log(`\nOutputs written to GITHUB_OUTPUT (${outputs.length}):`);
  for (const [name, value] of outputs)
    console.log(`  ${name}: ${value.length > 200 ? `${value.slice(0, 200)}…` : value}`);
  if (readFileSync(summaryFile, 'utf8')) console.log(`Job summary: ${summaryFile}`);
}

let status = 0;
try {
  execFileSync(
    join(repoRoot(), 'node_modules', '.bin', 'tsx'),
    [cli, 'run', actionPath, 'src/run.ts', merged],
    {
      cwd: join(repoRoot(), 'actions', 'runtime'),
      env: {
        ...process.env,
        NODE_PACKAGE_MANAGER: 'pnpm',
        TARGET_ACTION_PATH: actionPath,
        NODE_NO_WARNINGS: '1',
      },
      stdio: 'inherit',
    },
  );
} catch {
  // local-action has already printed the action's ::error:: line; only the exit status is left to pass on.
  status = 1;
}
printRunFiles();
process.exit(status);
