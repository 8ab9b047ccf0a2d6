// model-ci with `shards` run whole by the workflow runner: a plan job, a matrix of shard jobs that each run the
// caller's evaluate command with SHARD_INDEX / SHARD_COUNT and write validate-model's partial results as an
// artifact, and a merge job that downloads them all, merges and gates. The same data run unsharded must give the
// same metrics (to 1e-12; auc only unsharded) and the same verdict.
//
// The data is the bundled sample model of `pnpm demo` (demo/data), with its train interactions. The evaluate
// command stands in for a warehouse export: a small Node script (committed to the model repository) that keeps
// the users whose id hashes to the shard, as `WHERE hash(user) % SHARD_COUNT = SHARD_INDEX` would.
import { join } from 'node:path';
import { repoRoot } from '@recsys-actions/testkit';
import { runWorkflow, type WorkflowResult } from '../../tools/workflow-runner/src/index';
import { demoFile, modelRepo } from './model-repo';

const SPLIT_SHARD = `import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
const count = Number(process.env.SHARD_COUNT || 1);
const index = Number(process.env.SHARD_INDEX || 0);
const mine = (user) => createHash('sha256').update(user).digest().readUInt32BE(0) % count === index;
mkdirSync('eval', { recursive: true });
for (const name of ['recommendations.csv', 'ground-truth.csv', 'predictions.csv']) {
  const [header, ...rows] = readFileSync('sample/' + name, 'utf8').trim().split('\\n');
  const kept = rows.filter((row) => mine(row.split(',')[0]));
  writeFileSync('eval/' + name, [header, ...kept].join('\\n') + '\\n');
}
`;

const INPUTS = {
  'evaluate-command': 'node split-shard.mjs',
  recommendations: 'eval/recommendations.csv',
  interactions: 'eval/ground-truth.csv',
  'rating-predictions': 'eval/predictions.csv',
  'train-interactions': 'sample/train.csv',
  k: '5,10',
  thresholds: 'ndcg@10: {min: 0.42}\nrmse: {max: 0.85}\ncoverage@10: {min: 0.01}',
};

describe('model-ci with shards, run whole by the workflow runner', () => {
  const repo = modelRepo({
    'split-shard.mjs': SPLIT_SHARD,
    'sample/recommendations.csv': demoFile('data/recommendations.csv'),
    'sample/ground-truth.csv': demoFile('data/ground-truth.csv'),
    'sample/predictions.csv': demoFile('data/predictions.csv'),
    'sample/train.csv': demoFile('data/train.csv'),
  });
  const run = (shards: number, rerunOf?: WorkflowResult): Promise<WorkflowResult> =>
    runWorkflow(join(repoRoot(), '.github/workflows/model-ci.yml'), {
      event: 'workflow_call',
      inputs: { ...INPUTS, shards: String(shards) },
      repo,
      ...(rerunOf === undefined ? {} : { rerunOf }),
      log: () => undefined,
    });

  it('merges three shard jobs into the metrics and verdict of the unsharded run', async () => {
    const unsharded = await run(1);
    expect(unsharded.conclusion).toBe('success');
    expect(
      Object.keys(unsharded.jobs).filter((job) => unsharded.jobs[job]?.conclusion === 'success'),
    ).toEqual(['validate']);
    const sharded = await run(3);
    expect(sharded.conclusion).toBe('success');
    expect(sharded.jobs.validate?.conclusion).toBe('skipped');
    const legs = sharded.jobs.shard?.legs.map((leg) => [leg.matrix.shard, leg.conclusion]);
    expect(legs?.sort()).toEqual([
      [0, 'success'],
      [1, 'success'],
      [2, 'success'],
    ]);
    expect(sharded.outputs.verdict).toBe(unsharded.outputs.verdict);
    const whole = JSON.parse(unsharded.outputs.report ?? '{}');
    const merged = JSON.parse(sharded.outputs.report ?? '{}');
    expect(merged.notes[0]).toBe('Merged from 3 partial results.');
    const { auc: _unshardedOnly, ...expected } = whole.details.metrics as Record<string, number>;
    expect(Object.keys(merged.details.metrics).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, value] of Object.entries(expected))
      expect(merged.details.metrics[name]).toBeCloseTo(value, 12);
    expect(merged.details.counts).toEqual(whole.details.counts);
    const verdicts = (report: { checks: { name: string; status: string }[] }) =>
      report.checks.map((check) => [check.name, check.status]);
    expect(verdicts(merged)).toEqual(verdicts(whole));
    expect(verdicts(merged)).toHaveLength(3);

    // "Re-run all jobs": the run's artifacts are there already, and each shard uploads its partial again.
    const rerun = await run(3, sharded);
    expect(rerun.conclusion).toBe('success');
    expect(JSON.parse(rerun.outputs.report ?? '{}').details.metrics).toEqual(merged.details.metrics);
  });
});
