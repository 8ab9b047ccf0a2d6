import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { StepOutcome } from './step-outcome';

const done = (stdout: string, outputs: Record<string, string> = {}): StepOutcome => ({
  ok: true,
  stdout,
  stderr: '',
  outputs,
});
const failed = (message: string): StepOutcome => ({
  ok: false,
  stdout: `::error::${message}\n`,
  stderr: '',
  outputs: {},
});

/**
 * actions/upload-artifact, stubbed to a folder per artifact under `store`: a single directory path uploads
 * its contents, any other path keeps its name. Glob patterns are not expanded.
 */
export function uploadArtifact(
  store: string,
  workspace: string,
  inputs: Record<string, string>,
): StepOutcome {
  const name = inputs.name || 'artifact';
  const paths = (inputs.path ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const found = paths.map((path) => resolve(workspace, path)).filter((path) => existsSync(path));
  const target = join(store, name);
  if (found.length === 0) {
    const message = `No files were found with the provided path: ${paths.join(', ')}. No artifacts will be uploaded.`;
    if (inputs['if-no-files-found'] === 'error') return failed(message);
    return done(inputs['if-no-files-found'] === 'ignore' ? '' : `::warning::${message}\n`);
  }
  if (existsSync(target) && inputs.overwrite !== 'true')
    return failed(`An artifact named '${name}' was already uploaded in this run.`);
  mkdirSync(target, { recursive: true });
  const [only] = found;
  if (found.length === 1 && only && statSync(only).isDirectory()) cpSync(only, target, { recursive: true });
  else for (const path of found) cpSync(path, join(target, basename(path)), { recursive: true });
  return done(`Uploaded artifact '${name}' to ${target}\n`, {
    'artifact-id': name,
    'artifact-url': `file://${target}`,
  });
}

/** actions/download-artifact from the same folder: one artifact by `name`, or all of them into `path/<name>`. */
export function downloadArtifact(
  store: string,
  workspace: string,
  inputs: Record<string, string>,
): StepOutcome {
  const path = resolve(workspace, inputs.path || '.');
  const names = inputs.name ? [inputs.name] : existsSync(store) ? readdirSync(store) : [];
  for (const name of names) {
    const source = join(store, name);
    if (!existsSync(source)) return failed(`Artifact '${name}' was not uploaded in this run.`);
    cpSync(source, inputs.name ? path : join(path, name), { recursive: true });
  }
  return done(`Downloaded ${names.join(', ') || 'no artifacts'} to ${path}\n`, { 'download-path': path });
}
