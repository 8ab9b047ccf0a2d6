import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { expectCleanFailure, runAction, visibleLog, workspaceWith } from '@recsys-actions/testkit';
import { startGitHubEmulator, type GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { featuresCsv } from './data';

const REFERENCE = featuresCsv(1, false);
const DRIFTED = featuresCsv(2, true);

/** The CSV rewritten as Parquet by DuckDB with `codec`, as Polars, pyarrow and DuckDB write it by default. */
async function parquetOf(csv: string, codec: string, workspace: string, name: string): Promise<void> {
  const source = join(workspace, `${name}.source.csv`);
  writeFileSync(source, csv);
  const duck = await (await DuckDBInstance.create(':memory:')).connect();
  await duck.run(
    `COPY (SELECT * FROM read_csv('${source}', header = true)) TO '${join(workspace, name)}' (FORMAT parquet, COMPRESSION ${codec})`,
  );
}

describe('drift-check on Parquet written by DuckDB (built dist)', () => {
  it.each(['zstd', 'gzip', 'brotli', 'lz4_raw', 'snappy'])('finds drift in %s Parquet', async (codec) => {
    const workspace = workspaceWith({ 'data/reference.csv': REFERENCE });
    await parquetOf(DRIFTED, codec, workspace, 'data/current.parquet');
    const run = await runAction({
      action: 'drift-check',
      workspace,
      inputs: { reference: 'data/reference.csv', current: 'data/current.parquet', 'create-issue': 'false' },
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs['drift-detected']).toBe('true');
    expect(run.outputs['drift-share']).toBe('0.75');
  });

  it('names the file and codec of a damaged page', async () => {
    const workspace = workspaceWith({ 'data/reference.csv': REFERENCE });
    await parquetOf(DRIFTED, 'zstd', workspace, 'data/current.parquet');
    const path = join(workspace, 'data/current.parquet');
    const bytes = readFileSync(path);
    for (let i = 30; i < 200; i++) bytes[i] = ((bytes[i] ?? 0) * 31 + 7) & 255;
    writeFileSync(path, bytes);
    const run = await runAction({
      action: 'drift-check',
      workspace,
      inputs: { reference: 'data/reference.csv', current: 'data/current.parquet', 'create-issue': 'false' },
    });
    expect(expectCleanFailure(run)).toMatch(
      /^data\/current\.parquet: could not be decoded \(compression ZSTD\): .+; the file may be damaged or cut short/,
    );
  });
});

describe('drift-check and GitHub', () => {
  let github: GitHubEmulator;
  beforeAll(async () => {
    github = await startGitHubEmulator();
  });
  afterAll(() => github.close());

  const check = (inputs: Record<string, string> = {}) =>
    runAction({
      action: 'drift-check',
      workspace: workspaceWith({ 'data/reference.csv': REFERENCE, 'data/current.csv': DRIFTED }),
      inputs: { reference: 'data/reference.csv', current: 'data/current.csv', ...inputs },
      token: 'ghs_emulated',
      env: { GITHUB_API_URL: github.url },
    });

  it('refuses column-types for a column the reference lacks, before touching GitHub', async () => {
    const before = github.requests.length;
    const run = await check({ 'column-types': '{zip_code: categorical}' });
    expect(expectCleanFailure(run)).toBe(
      "Input 'column-types' names column 'zip_code', which the reference data does not have (its columns: price, category, @octo-org/admins <img src=x> [x](https://evil), age, prediction). Example: column-types: '{price: categorical}'",
    );
    expect(github.requests.length).toBe(before);
  });

  it('keeps its result when the issue API answers 403: outputs, summary and a warning naming the permission', async () => {
    github.failNext(1, 403, { message: 'Resource not accessible by integration (ghs_emulated)' });
    const run = await check({ 'dispatch-event': 'retrain' });
    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({ 'drift-detected': 'true', 'drift-share': '0.75' });
    expect(run.outputs['issue-number']).toBeUndefined();
    expect(run.warnings).toContainEqual(
      expect.stringMatching(
        /^Could not update the drift issue: GitHub answered 403 \(Resource not accessible by integration \(ghs_emulated\).*\)\. Give the token 'issues: write' permission\.$/,
      ),
    );
    expect(run.summary).toContain('### ⚠️ drift-check: **drift**');
    expect(run.summary).toContain("Give the token 'issues: write' permission.");
    expect(run.summary).toContain("Sent the repository\\_dispatch event 'retrain'.");
    expect(run.stdout).toContain('drift-check: drift. Dataset drift in production/features: 3 of 4 columns');
    // The token the error echoed is masked, as GitHub's runner shows the log.
    expect(visibleLog(run)).not.toContain('ghs_emulated');
    expect(visibleLog(run)).toContain('(Resource not accessible by integration (***)');
  });
});
