import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@recsys-actions/testkit';

/** The ```yaml blocks of a README (a path from the repository root), in order. */
export function readmeYamlBlocks(readme: string): string[] {
  const text = readFileSync(join(repoRoot(), readme), 'utf8');
  return [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}
