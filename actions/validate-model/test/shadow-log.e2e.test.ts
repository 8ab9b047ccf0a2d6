import { expectCleanFailure, matchReportCorpus, runAction, workspaceWith } from '@recsys-actions/testkit';

const answer = (
  request: string,
  user: string,
  version: string,
  items: string[],
  latency: number,
  status: number | string = 200,
) =>
  JSON.stringify({
    request_id: request,
    user,
    version,
    items: items.map((item, index) => ({ item, score: 1 - index / 10 })),
    latency_ms: latency,
    status,
  });

// r1 and r2 both versions answered; on r3 the challenger failed; r4 reached the champion only.
const LOG = [
  answer('r1', 'u1', 'v1', ['a', 'b', 'c'], 10),
  answer('r1', 'u1', 'v2', ['a', 'c', 'd'], 20),
  answer('r2', 'u2', 'v1', ['x', 'y', 'z'], 30),
  answer('r2', 'u2', 'v2', ['x', 'y', 'z'], 40),
  '',
  answer('r3', 'u1', 'v1', ['a', 'b', 'c'], 12),
  answer('r3', 'u1', 'v2', [], 100, 500),
  answer('r4', 'u3', 'v1', ['q'], 9),
].join('\n');
const TRUTH = 'user,item\nu1,a\nu1,d\nu2,z\n';

/** RBO_ext of two lists of depth 3, written out from the paper's definition (p = 0.9). */
function rbo3(overlaps: [number, number, number]): number {
  const p = 0.9;
  const sum = overlaps.reduce((total, x, index) => total + (x / (index + 1)) * p ** (index + 1), 0);
  return (overlaps[2] / 3) * p ** 3 + ((1 - p) / p) * sum;
}

type Table = { title: string; rows: (string | number | null)[][] };

describe('validate-model shadow-log (built dist)', () => {
  it('compares the versions on the requests both answered and gates the challenger against the champion', async () => {
    const run = await runAction({
      action: 'validate-model',
      workspace: workspaceWith({ 'shadow.jsonl': `${LOG}\n`, 'truth.csv': TRUTH }),
      inputs: {
        'shadow-log': 'shadow.jsonl',
        interactions: 'truth.csv',
        'model-version': 'v2',
        k: '1,3',
        thresholds: 'precision@3: {min: 0.4, min-relative-change: 0.2}',
      },
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.outputs.report ?? '') as {
      notes: string[];
      sections: Table[];
      details: { shadow: unknown };
    };
    expect(report.notes).toContain(
      'Shadow log: 3 request(s) answered by both v1 (champion) and v2 (challenger); 1 answered by only one are left out.',
    );
    const [agreement, serving, offline] = report.sections;
    expect(agreement?.title).toBe('Shadow agreement: v2 against v1');
    // k=1: both lists start alike. k=3: r1 shares {a, c} of {a, b, c, d}; r2 is identical.
    expect(agreement?.rows[0]).toEqual([1, 1, 1, 1]);
    const [k, jaccard, rbo, identical] = agreement?.rows[1] as number[];
    expect([k, jaccard, identical]).toEqual([3, 0.75, 0.5]);
    expect(rbo).toBeCloseTo((rbo3([1, 1, 2]) + rbo3([1, 2, 3])) / 2, 12);
    // Champion latencies 10, 30, 12; challenger 20, 40, 100 with one error out of three.
    expect(serving?.rows[0]).toEqual(['error rate', 0, 1 / 3, 1 / 3]);
    expect(serving?.rows[1]?.slice(1, 3)).toEqual([52 / 3, 160 / 3]);
    expect(serving?.rows[2]?.slice(1, 3)).toEqual([12, 40]);
    // u1 is judged on r1, u2 on r2: precision@3 1/3 for the champion, (2/3 + 1/3) / 2 for the challenger.
    const precision = offline?.rows.find((row) => row[0] === 'precision@3');
    expect(precision?.[1]).toBeCloseTo(1 / 3, 12);
    expect(precision?.[2]).toBeCloseTo(0.5, 12);
    expect(JSON.parse(run.outputs.metrics ?? '{}')['precision@3']).toBeCloseTo(0.5, 12);
    expect(run.outputs.verdict).toBe('pass');
    matchReportCorpus('validate-model-shadow-log', run);
  });

  it.each([
    [
      'a line that is not JSON, by its line number',
      `${answer('r1', 'u1', 'v1', ['a'], 1)}\n{"request_id": "r2",\n`,
      'v2',
      /^Input 'shadow-log' shadow.jsonl \(line 2\): is not JSON \(.*\); each line holds one response/,
    ],
    [
      "the champion's responses missing",
      answer('r1', 'u1', 'v2', ['a'], 1),
      'v2',
      /^Input 'shadow-log' shadow.jsonl: has responses of 'v2' \(model-version\) only; the champion's responses are missing/,
    ],
    [
      "the challenger's responses missing",
      `${answer('r1', 'u1', 'v1', ['a'], 1)}\n${answer('r2', 'u1', 'v1', ['a'], 1)}`,
      'v2',
      /^Input 'shadow-log' shadow.jsonl: has no response of 'v2' \(model-version\); versions in the log: v1/,
    ],
    [
      'a response without latency',
      JSON.stringify({ request_id: 'r1', user: 'u1', version: 'v1', items: [], status: 200 }),
      'v2',
      /^Input 'shadow-log' shadow.jsonl \(line 1\): is not a served response: .*latency_ms/,
    ],
  ])('refuses %s', async (_name, log, version, message) => {
    const run = await runAction({
      action: 'validate-model',
      workspace: workspaceWith({ 'shadow.jsonl': log }),
      inputs: { 'shadow-log': 'shadow.jsonl', 'model-version': version },
    });
    expect(expectCleanFailure(run)).toMatch(message);
  });
});
