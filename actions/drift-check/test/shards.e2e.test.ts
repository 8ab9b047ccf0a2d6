import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectCleanFailure, runAction, workspaceWith } from '@recsys-actions/testkit';
import { featuresCsv } from './data';

const REFERENCE = featuresCsv(1, false, 600);
const DRIFTED = featuresCsv(2, true, 600);

/** The CSV's rows split round-robin into `parts` files, each with the header. */
function shardsOf(csv: string, parts: number): string[] {
  const [header, ...rows] = csv.trimEnd().split('\n');
  return Array.from(
    { length: parts },
    (_, part) => `${[header, ...rows.filter((_, i) => i % parts === part)].join('\n')}\n`,
  );
}

function shardFiles(side: string, csv: string): Record<string, string> {
  return Object.fromEntries(shardsOf(csv, 3).map((text, i) => [`data/${side}-${i + 1}.csv`, text]));
}

const profileOnly = (workspace: string, current: string, profilePath: string, extra = {}) =>
  runAction({
    action: 'drift-check',
    workspace,
    inputs: { current, 'profile-only': 'true', 'profile-path': profilePath, ...extra },
  });

const merged = (workspace: string, inputs: Record<string, string>) =>
  runAction({
    action: 'drift-check',
    workspace,
    inputs: {
      'reference-profiles': 'profiles/reference-*.json',
      'current-profiles': 'profiles/current-*.json',
      'create-issue': 'false',
      ...inputs,
    },
  });

interface ReportColumn {
  column: string;
  method: string;
  statistic: number;
  drifted: boolean;
}
const columnsOf = (run: { outputs: Record<string, string> }) =>
  (JSON.parse(run.outputs.report as string) as { details: { columns: ReportColumn[] } }).details.columns;

describe('drift-check with shards: profile-only, then merged profiles (built dist)', () => {
  let workspace: string;

  beforeAll(async () => {
    workspace = workspaceWith({
      'data/reference.csv': REFERENCE,
      'data/current.csv': DRIFTED,
      ...shardFiles('reference', REFERENCE),
      ...shardFiles('current', DRIFTED),
    });
    for (const side of ['reference', 'current']) {
      for (const shard of [1, 2, 3]) {
        const run = await profileOnly(
          workspace,
          `data/${side}-${shard}.csv`,
          `profiles/${side}-${shard}.json`,
        );
        expect(run.errors).toEqual([]);
        expect(run.outputs['profile-path']).toBe(join(workspace, `profiles/${side}-${shard}.json`));
      }
    }
  }, 120_000);

  it('decides as the unsharded run does, statistic for statistic', async () => {
    const whole = await runAction({
      action: 'drift-check',
      workspace,
      inputs: { reference: 'data/reference.csv', current: 'data/current.csv', 'create-issue': 'false' },
    });
    const shards = await merged(workspace, {});
    expect(shards.errors).toEqual([]);
    for (const output of ['drift-detected', 'drift-share', 'drifted-columns'])
      expect(shards.outputs[output]).toBe(whole.outputs[output]);
    expect(shards.outputs['drift-detected']).toBe('true');
    const expected = columnsOf(whole);
    const actual = columnsOf(shards);
    expect(actual.map((column) => [column.column, column.method, column.drifted])).toEqual(
      expected.map((column) => [column.column, column.method, column.drifted]),
    );
    for (const [i, column] of actual.entries())
      expect(column.statistic).toBeCloseTo((expected[i] as ReportColumn).statistic, 12);
    expect((JSON.parse(shards.outputs.report as string) as { notes: string[] }).notes).toContain(
      'The reference profile was merged from the reference-profiles files.',
    );
  });

  it('takes a reference of profiles with current data files', async () => {
    const run = await runAction({
      action: 'drift-check',
      workspace,
      inputs: {
        'reference-profiles': 'profiles/reference-*.json',
        current: 'data/current.csv',
        'create-issue': 'false',
      },
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs['drift-detected']).toBe('true');
  });

  it('names the file and field of a profile in another format version', async () => {
    const profile = JSON.parse(readFileSync(join(workspace, 'profiles/current-1.json'), 'utf8')) as object;
    writeFileSync(join(workspace, 'old.json'), JSON.stringify({ ...profile, version: 1 }));
    const run = await merged(workspace, { 'current-profiles': 'old.json' });
    expect(expectCleanFailure(run)).toMatch(
      /^old\.json: field 'version' is 1, but this drift-check reads profile format version 2/,
    );
  });

  it('names the file and field of a shard with other columns', async () => {
    const run1 = await profileOnly(workspace, 'data/current-1.csv', 'cols/current-a.json', {
      columns: 'price,age',
    });
    expect(run1.errors).toEqual([]);
    const run2 = await profileOnly(workspace, 'data/current-2.csv', 'cols/current-b.json', {
      columns: 'price,category',
    });
    expect(run2.errors).toEqual([]);
    const run = await merged(workspace, { 'current-profiles': 'cols/current-*.json' });
    expect(expectCleanFailure(run)).toMatch(
      /^cols\/current-b\.json: field 'columns' holds price, category, but cols\/current-a\.json holds price, age/,
    );
  });

  it('names the file and field of a shard whose column has another type', async () => {
    await profileOnly(workspace, 'data/current-1.csv', 'types/current-a.json');
    const retyped = await profileOnly(workspace, 'data/current-2.csv', 'types/current-b.json', {
      'column-types': '{age: categorical}',
    });
    expect(retyped.errors).toEqual([]);
    const run = await merged(workspace, { 'current-profiles': 'types/current-*.json' });
    expect(expectCleanFailure(run)).toMatch(
      /^types\/current-b\.json: field 'columns\.3\.type' of column 'age' is categorical, but types\/current-a\.json has it numeric/,
    );
  });

  it('names the input of a glob that matches nothing', async () => {
    const run = await merged(workspace, { 'reference-profiles': 'profiles/nothing-*.json' });
    expect(expectCleanFailure(run)).toMatch(
      /^Input 'reference-profiles' matches no file \('profiles\/nothing-\*\.json'\)/,
    );
  });

  it('refuses data files and profiles for the same side', async () => {
    const run = await merged(workspace, { current: 'data/current.csv' });
    expect(expectCleanFailure(run)).toMatch(/^Input 'current-profiles' cannot be combined with current/);
  });
});
