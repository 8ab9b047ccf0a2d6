// Every third-party package bundled into an action's dist, in whichever of its files, is named in the dist's
// licenses.txt with its license and text. The packages are recognised here by a string their code carries, not by
// the bundler's own module list that the build reads, so that a gap in that list shows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@recsys-actions/testkit';
import { actionNames } from '../scripts/actions';

const SIGNATURES: Record<string, string> = {
  yaml: 'YAMLParseError',
  zod: '$ZodType',
  '@octokit/core': 'octokit-core.js',
  hyparquet: 'parquet file invalid',
  '@slack/web-api': '@slack/web-api',
};

function dist(action: string): { code: string; licenses: string } {
  const folder = join(repoRoot(), 'actions', action, 'dist');
  const code = readdirSync(folder)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(folder, file), 'utf8'))
    .join('\n');
  return { code, licenses: readFileSync(join(folder, 'licenses.txt'), 'utf8') };
}

/** licenses.txt's entries: a package name, its license, then the license text, entries apart by a blank line. */
function licenseEntries(text: string): { name: string; license: string; body: string }[] {
  return text.split(/\n\n(?=[@a-z0-9][^\s]*\n[^\n]+\n)/).map((entry) => {
    const [name = '', license = '', ...body] = entry.split('\n');
    return { name, license, body: body.join('\n').trim() };
  });
}

describe.each(actionNames())("%s's dist/licenses.txt", (action) => {
  const { code, licenses } = dist(action);
  const entries = licenseEntries(licenses);

  it('names each bundled package whose code it recognises', () => {
    const bundled = Object.keys(SIGNATURES).filter((name) => code.includes(SIGNATURES[name] ?? ''));
    expect(bundled).toContain('yaml');
    expect(bundled.filter((name) => !entries.some((entry) => entry.name === name))).toEqual([]);
  });

  it('gives every package a license and its text', () => {
    expect(entries.length).toBeGreaterThan(1);
    for (const entry of entries) {
      expect({ name: entry.name, license: entry.license }).toEqual({
        name: expect.stringMatching(/^(@[a-z0-9._-]+\/)?[a-z0-9._-]+$/),
        license: expect.stringMatching(/^[A-Za-z0-9.() -]+$/),
      });
      expect(entry.body.length).toBeGreaterThan(20);
    }
  });
});
