import { InputError, resolveWorkspaceFile, resolveWorkspacePath } from '@recsys-actions/core';
import { columnNamesOf, expandPaths, NoMatchingFileError } from '@recsys-actions/data';

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

/**
 * Every column `column-types` names must exist in the reference: a typo there would otherwise be ignored and the
 * column compared with its detected type, which is what the user set out to override.
 */
export async function checkColumnTypesExist(
  columnTypes: Record<string, unknown> | undefined,
  referenceFiles: string[],
): Promise<void> {
  const named = Object.keys(columnTypes ?? {});
  const first = referenceFiles[0];
  if (named.length === 0 || first === undefined) return;
  const columns = await columnNamesOf(first);
  const unknown = named.find((name) => !columns.includes(name));
  if (unknown !== undefined) {
    throw new InputError(
      'column-types',
      `names column '${unknown}', which the reference data does not have (its columns: ${columns.join(', ')})`,
      `'{${columns[0] ?? 'zip_code'}: categorical}'`,
    );
  }
}
