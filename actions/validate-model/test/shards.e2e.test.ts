import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectCleanFailure, runAction, workspaceWith } from '@recsys-actions/testkit';

// Users u1..u4 in two shards by user; train is whole in both. Ratings are 0/1, so logloss (not auc) merges.
const SHARD_A = {
  recs: 'user,item,score\nu1,i1,0.9\nu1,i2,0.8\nu1,i3,0.7\nu2,i4,0.9\nu2,i1,0.5\n',
  truth: 'user,item,rating\nu1,i1,1\nu1,i3,1\nu1,i2,0\nu2,i6,1\n',
  preds: 'user,item,prediction\nu1,i1,0.8\nu1,i3,0.3\nu1,i2,0.4\nu2,i6,0.6\n',
};
const SHARD_B = {
  recs: 'user,item,score\nu3,i2,0.9\nu3,i5,0.4\nu3,i6,0.2\nu4,i1,0.9\nu4,i3,0.8\n',
  truth: 'user,item,rating\nu3,i5,1\nu3,i6,0\nu4,i3,1\nu4,i4,1\n',
  preds: 'user,item,prediction\nu3,i5,0.7\nu3,i6,0.2\nu4,i3,0.9\nu4,i4,0.1\n',
};
const whole = (part: 'recs' | 'truth' | 'preds') =>
  SHARD_A[part] + SHARD_B[part].split('\n').slice(1).join('\n');
const TRAIN = 'user,item\nu1,i7\nu2,i7\nu2,i2\nu3,i2\nu3,i4\nu4,i1\nu4,i2\nu1,i4\n';

const files = {
  'a/recs.csv': SHARD_A.recs,
  'a/truth.csv': SHARD_A.truth,
  'a/preds.csv': SHARD_A.preds,
  'b/recs.csv': SHARD_B.recs,
  'b/truth.csv': SHARD_B.truth,
  'b/preds.csv': SHARD_B.preds,
  'all/recs.csv': whole('recs'),
  'all/truth.csv': whole('truth'),
  'all/preds.csv': whole('preds'),
  'train.csv': TRAIN,
};

const dataInputs = (dir: string, k = '2,3') => ({
  recommendations: `${dir}/recs.csv`,
  interactions: `${dir}/truth.csv`,
  'rating-predictions': `${dir}/preds.csv`,
  'train-interactions': 'train.csv',
  k,
});

async function writeShard(workspace: string, dir: string, k?: string) {
  const run = await runAction({
    action: 'validate-model',
    workspace,
    inputs: { ...dataInputs(dir, k), 'partial-only': 'true', 'partial-path': `partials/${dir}.json` },
  });
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(run.outputs['partial-path']).toBe(join(workspace, 'partials', `${dir}.json`));
  return run;
}

const merge = (workspace: string, inputs: Record<string, string> = {}) =>
  runAction({
    action: 'validate-model',
    workspace,
    inputs: { 'merge-partials': 'partials/*.json', ...inputs },
  });

describe('validate-model across shards (built dist)', () => {
  it('merges partial-only shards into the metrics of an unsharded run, and gates them', async () => {
    const workspace = workspaceWith(files);
    const shard = await writeShard(workspace, 'a');
    expect(shard.outputs.verdict).toBe('pass');
    await writeShard(workspace, 'b');
    const partial = JSON.parse(readFileSync(join(workspace, 'partials/a.json'), 'utf8'));
    expect(partial).toMatchObject({ format: 'recsys-eval-partial', version: 1, k: [2, 3] });

    const unsharded = await runAction({ action: 'validate-model', workspace, inputs: dataInputs('all') });
    expect(unsharded.exitCode).toBe(0);
    const expected = JSON.parse(unsharded.outputs.metrics ?? '{}');
    const merged = await merge(workspace, { thresholds: 'ndcg@3: {min: 0.99}\nlogloss: {max: 2}' });
    expect(merged.errors).toEqual(['Model validation failed (fail-on: critical): ndcg@3']);
    const metrics = JSON.parse(merged.outputs.metrics ?? '{}');
    const { auc, ...mergeable } = expected;
    expect(auc).toBeGreaterThan(0);
    expect(Object.keys(metrics).sort()).toEqual(Object.keys(mergeable).sort());
    for (const [name, value] of Object.entries(mergeable))
      expect(metrics[name]).toBeCloseTo(value as number, 12);
    const report = JSON.parse(readFileSync(merged.outputs['report-path'] ?? '', 'utf8'));
    expect(report.notes[0]).toBe('Merged from 2 partial results.');
    expect(report.details.counts).toEqual(JSON.parse(unsharded.outputs.report ?? '{}').details.counts);
  });

  it('names the glob that matches nothing', async () => {
    const run = await merge(workspaceWith({ 'partials/readme.txt': 'x' }));
    expect(expectCleanFailure(run)).toBe(
      "Input 'merge-partials' matches no file ('partials/*.json'). Example: merge-partials: partials/*.json",
    );
  });

  it('names the file and field of a partial from another format version, or with other cut-offs', async () => {
    const workspace = workspaceWith(files);
    await writeShard(workspace, 'a');
    await writeShard(workspace, 'b', '2');
    expect(expectCleanFailure(await merge(workspace))).toBe(
      "partials/b.json: has k 2 but partials/a.json has 2,3 (field 'k'); run every shard with the same inputs",
    );
    const path = join(workspace, 'partials/b.json');
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), version: 2 }));
    expect(expectCleanFailure(await merge(workspace))).toBe(
      "partials/b.json: has format version 2 (field 'version'); this version reads 1: write every shard with the same release",
    );
  });

  it('refuses shards that read different train data, and a threshold on auc', async () => {
    const workspace = workspaceWith({ ...files, 'train.csv': TRAIN });
    await writeShard(workspace, 'a');
    writeFileSync(join(workspace, 'train.csv'), `${TRAIN}u4,i5\n`);
    await writeShard(workspace, 'b');
    expect(expectCleanFailure(await merge(workspace))).toMatch(
      /^partials\/b\.json: has train\.sha256 [0-9a-f]{64} but partials\/a\.json has [0-9a-f]{64} \(field 'train\.sha256'\); coverage, novelty, diversity and serendipity need the whole train data/,
    );
    expect(expectCleanFailure(await merge(workspace, { thresholds: 'auc: {min: 0.5}' }))).toMatch(
      /^Input 'thresholds' names 'auc', which merged shards cannot report/,
    );
  });

  it('names the cut-off a threshold needs when the shards did not compute it', async () => {
    const workspace = workspaceWith(files);
    await writeShard(workspace, 'a');
    await writeShard(workspace, 'b');
    expect(expectCleanFailure(await merge(workspace, { thresholds: 'ndcg@10: {min: 0.5}' }))).toBe(
      "Input 'thresholds' names 'ndcg@10', but the shards computed k 2,3 (field 'k' of partials/a.json); run the shards with k including 10. Example: thresholds: 'ndcg@2: {min: 0.42}'",
    );
  });

  it('refuses partial-only without data, and merge-partials beside recommendations', async () => {
    const workspace = workspaceWith(files);
    const alone = await runAction({
      action: 'validate-model',
      workspace,
      inputs: { 'partial-only': 'true' },
    });
    expect(expectCleanFailure(alone)).toMatch(
      /^Input 'partial-only' needs `recommendations` and `interactions`/,
    );
    const both = await merge(workspace, dataInputs('a'));
    expect(expectCleanFailure(both)).toMatch(
      /^Input 'merge-partials' cannot be combined with `recommendations`/,
    );
  });
});
