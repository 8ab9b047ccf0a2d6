import { InputError, resolveWorkspaceFile, resolveWorkspacePath } from '@recsys-actions/core';
import { expandPaths, NoMatchingFileError } from '@recsys-actions/data';

/**
 * The files an input names, in order: each path or glob is resolved inside the workspace first, and every
 * match is checked again, so neither `../` nor a symbolic link can lead the action outside it.
 */
export async function dataFiles(input: string, patterns: string[], workspace: string): Promise<string[]> {
  const example = `data/${input}/*.parquet`;
  const files: string[] = [];
  for (const pattern of patterns) {
    const absolute = resolveWorkspacePath(input, pattern, workspace, example);
    const matches = await expandPaths([absolute]).catch((error: unknown) => {
      if (error instanceof NoMatchingFileError)
        throw new InputError(input, `matches no file ('${pattern}')`, example);
      throw error;
    });
    for (const match of matches) files.push(resolveWorkspaceFile(input, match, workspace, { example }));
  }
  return [...new Set(files)];
}
