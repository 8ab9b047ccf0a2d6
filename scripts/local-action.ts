// `pnpm local-action <action> [envfile]`: runs an action from its TypeScript source with @github/local-action.
// Two things stop a plain `npx local-action run actions/<a> src/run.ts .env` from working here:
// - local-action does not apply action.yml's input defaults, and every action relies on them, so this writes
//   an env file of the defaults overlaid with the given one (whose lines win);
// - local-action stubs @actions/core only where `pnpm list @actions/core` run in the current folder finds it,
//   and only in pnpm mode, which its launcher picks from the action's own package.json. Here @actions/core is
//   a dependency of actions/runtime, not of the action, so this starts local-action's CLI itself, in pnpm mode,
//   from actions/runtime. Without that the real @actions/core runs and local-action shows no outputs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionInputs, inputVariableName, readActionManifest, repoRoot } from '@recsys-actions/testkit';

const [action, envFile] = process.argv.slice(2);
if (!action || !existsSync(join(repoRoot(), 'actions', action, 'action.yml'))) {
  console.error('usage: pnpm local-action <action> [envfile]   (action: a folder under actions/)');
  process.exit(2);
}

// `${{ github.token }}` defaults take GITHUB_TOKEN from your shell, as the runner would give the job's token.
const defaults = actionInputs(readActionManifest(action), {}, process.env.GITHUB_TOKEN ?? '');
const lines = [
  `GITHUB_WORKSPACE=${process.cwd()}`,
  ...Object.entries(defaults).map(([name, value]) => `${inputVariableName(name)}=${JSON.stringify(value)}`),
  ...(envFile ? [readFileSync(envFile, 'utf8')] : []),
];
const merged = join(mkdtempSync(join(tmpdir(), 'local-action-')), '.env');
writeFileSync(merged, `${lines.join('\n')}\n`);

const actionPath = join(repoRoot(), 'actions', action);
const cli = join(repoRoot(), 'node_modules', '@github', 'local-action', 'src', 'index.ts');
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
  // local-action has already printed the action's failure; only the exit status is left to pass on.
  process.exit(1);
}
