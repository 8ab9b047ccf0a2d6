import { expectCleanFailure, runAction, workspaceWith } from '@recsys-actions/testkit';
import { startGitHubEmulator, type GitHubEmulator } from '@recsys-actions/testkit/github/emulator';
import { featuresCsv } from './data';

const REFERENCE = featuresCsv(1, false);
const DRIFTED = featuresCsv(2, true);

describe('drift-check on bad input: one clear error, and the drift issue is left alone', () => {
  let github: GitHubEmulator;
  let requestsBefore = 0;

  const check = (files: Record<string, string>, inputs: Record<string, string>) =>
    runAction({
      action: 'drift-check',
      workspace: workspaceWith({ 'data/reference.csv': REFERENCE, ...files }),
      inputs: { reference: 'data/reference.csv', 'dispatch-event': 'retrain', ...inputs },
      token: 'ghs_emulated',
      env: { GITHUB_API_URL: github.url },
    });

  beforeAll(async () => {
    github = await startGitHubEmulator();
    const opened = await check({ 'data/current.csv': DRIFTED }, { current: 'data/current.csv' });
    expect(opened.outputs['issue-number']).toBe('1');
    requestsBefore = github.requests.length;
  });
  afterEach(() => {
    // Not one call reached GitHub: the open issue has no new comment, nothing was closed or dispatched.
    expect(github.requests.length).toBe(requestsBefore);
    expect(github.issues()).toMatchObject([{ number: 1, state: 'open' }]);
    expect(github.comments(1)).toEqual([]);
    expect(github.dispatches()).toHaveLength(1);
  });
  afterAll(() => github.close());

  it('an empty current file', async () => {
    const run = await check({ 'data/current.csv': '' }, { current: 'data/current.csv' });
    expect(expectCleanFailure(run)).toMatch(/^data\/current\.csv.*(empty|no header|no data)/i);
  });

  it('an empty reference file, profiled on the worker thread', async () => {
    const run = await check(
      { 'data/reference.csv': '', 'data/current.csv': DRIFTED },
      { current: 'data/current.csv' },
    );
    expect(expectCleanFailure(run)).toMatch(/^data\/reference\.csv.*(empty|no header|no data)/i);
  });

  it('a column the current data lacks', async () => {
    const current = DRIFTED.replace(/^price,/, 'cost,');
    const run = await check({ 'data/current.csv': current }, { current: 'data/current.csv' });
    expect(expectCleanFailure(run)).toMatch(/^data\/current\.csv: has no column 'price'/);
  });

  it('a numeric column holding only text in the current data', async () => {
    const current = DRIFTED.split('\n')
      .map((line, index) => (index === 0 || line === '' ? line : line.replace(/^[^,]+/, 'cheap')))
      .join('\n');
    const run = await check({ 'data/current.csv': current }, { current: 'data/current.csv' });
    expect(expectCleanFailure(run)).toMatch(/^data\/current\.csv \(line 2, column 'price'\)/);
  });

  it('a Parquet file that is not Parquet', async () => {
    const run = await check({ 'data/current.parquet': DRIFTED }, { current: 'data/current.parquet' });
    expect(expectCleanFailure(run)).toMatch(/^data\/current\.parquet.*Parquet/i);
  });

  it('a glob that matches no file', async () => {
    const run = await check({}, { current: 'data/current/*.csv' });
    expect(expectCleanFailure(run)).toBe(
      "Input 'current' matches no file ('data/current/*.csv'). Example: current: data/current/*.parquet",
    );
  });

  it('a path outside the workspace', async () => {
    const run = await check({}, { current: '../../etc/passwd' });
    expect(expectCleanFailure(run)).toMatch(/^Input 'current' points outside the workspace/);
  });

  it('a test on counts per value for a numeric column of more than 1000 distinct values', async () => {
    const run = await check(
      { 'data/reference.csv': featuresCsv(1, false, 1200), 'data/current.csv': DRIFTED },
      { current: 'data/current.csv', 'per-column': '{price: {method: chisquare}}' },
    );
    expect(expectCleanFailure(run)).toMatch(
      /^Input 'per-column' sets chisquare for numeric column 'price', but chisquare counts each value and the column has more than 1000 distinct numbers; use ks, wasserstein, psi, kl, jensenshannon or hellinger/,
    );
  });

  it.each([
    [
      { method: 'ks', threshold: '1.5' },
      /^Input 'threshold' must be a p-value between 0 and 1 \(exclusive\) for ks, not 1\.5/,
    ],
    [{ method: 'psi', threshold: '-0.1' }, /^Input 'threshold' must be a positive number, not -0\.1/],
    [{ threshold: '0.1' }, /^Input 'threshold' applies to one test, so it needs a method other than auto/],
    [{ 'drift-share': '2' }, /^Input 'drift-share' must be a share above 0 and at most 1, not 2/],
    [
      { 'per-column': '{price: {method: ks, threshold: 7}}' },
      /^Input 'per-column' must be a p-value .* for column 'price'/,
    ],
    [
      { 'per-column': '{price: {method: magic}}' },
      /^Input 'per-column' is invalid at per-column\.price\.method.*chisquare-contingency/,
    ],
    [
      { method: 'magic' },
      /^Input 'method' must be one of auto, ks, chisquare, chisquare-contingency, ztest, psi, kl, jensenshannon, wasserstein, hellinger, got 'magic'/,
    ],
    [
      { 'per-column': '{category: {method: ks}}' },
      /^Input 'per-column' sets ks for categorical column 'category', but ks compares numbers; use chisquare, /,
    ],
    [{ 'column-types': '{zip: text}' }, /^Input 'column-types' is invalid at column-types\.zip/],
    [{ columns: 'price,shoe_size' }, /^data\/reference\.csv.*has no column 'shoe_size'/],
    [{ 'dispatch-event': 'x'.repeat(101) }, /^Input 'dispatch-event' must be at most 100 characters long/],
    [{ token: '' }, /^Input 'token' is required to manage the drift issue/],
  ])('options %p', async (inputs, message) => {
    const run = await check({ 'data/current.csv': DRIFTED }, { current: 'data/current.csv', ...inputs });
    expect(expectCleanFailure(run)).toMatch(message);
  });
});
