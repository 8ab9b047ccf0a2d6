// `pnpm adopt …`: installs the starter templates into an organisation's `.github` repository, copies one
// starter into a repository, or points workflows at a fork or a vendored copy. See docs/adopting.md.
import { join } from 'node:path';
import { repoRoot } from '@recsys-actions/testkit';
import { runAdopt } from './adopt/commands';

process.exitCode = runAdopt(
  process.argv.slice(2),
  { out: (line) => console.log(line), err: (line) => console.error(line) },
  // pnpm runs scripts from the workspace root; INIT_CWD is where the user typed the command.
  { templatesDir: join(repoRoot(), 'workflows-templates'), cwd: process.env.INIT_CWD ?? process.cwd() },
);
