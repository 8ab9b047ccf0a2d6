import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  delayedBy,
  eioFrom,
  expectCleanFailure,
  runAction,
  workspaceWith,
  type ActionRun,
} from '@recsys-actions/testkit';

// A shard's leg writes the file a later merge job reads: validate-model's partial results (partial-only) and
// drift-check's profile (profile-only). Whatever fails or is killed while it writes, the file is either absent or
// whole, a failure says so in one line, and a re-run writes what an undisturbed run writes, which then merges.

const FILES = {
  'a/recs.csv': 'user,item,score\nu1,i1,0.9\nu1,i2,0.8\nu2,i3,0.7\nu2,i1,0.4\n',
  'a/truth.csv': 'user,item\nu1,i1\nu2,i2\n',
  'b/recs.csv': 'user,item,score\nu3,i2,0.9\nu3,i1,0.3\n',
  'b/truth.csv': 'user,item\nu3,i2\n',
  'a/features.csv': 'price,category\n1.5,x\n2.5,y\n3.5,x\n',
  'b/features.csv': 'price,category\n4.5,y\n0.5,x\n',
};

interface ShardWriter {
  action: 'validate-model' | 'drift-check';
  /** The input naming the file the shard writes. */
  input: string;
  /** The inputs of shard `dir`'s leg, writing `<folder>/<dir>.json`. */
  shard(dir: 'a' | 'b'): Record<string, string>;
  folder: string;
  /** The inputs of the job that merges every shard's file. */
  merge: Record<string, string>;
}

const WRITERS: ShardWriter[] = [
  {
    action: 'validate-model',
    input: 'partial-path',
    folder: 'partials',
    shard: (dir) => ({
      recommendations: `${dir}/recs.csv`,
      interactions: `${dir}/truth.csv`,
      k: '2',
      'partial-only': 'true',
      'partial-path': `partials/${dir}.json`,
    }),
    merge: { 'merge-partials': 'partials/*.json' },
  },
  {
    action: 'drift-check',
    input: 'profile-path',
    folder: 'profiles',
    shard: (dir) => ({
      current: `${dir}/features.csv`,
      'profile-only': 'true',
      'profile-path': `profiles/${dir}.json`,
    }),
    merge: {
      'reference-profiles': 'profiles/*.json',
      'current-profiles': 'profiles/*.json',
      'create-issue': 'false',
    },
  },
];

/** Held this long, an fsync outlasts the kill below by seconds; an undisturbed leg reaches it in well under one. */
const FSYNC_HELD_MS = 8_000;
const KILL_AFTER_MS = 4_000;

describe.each(WRITERS)(
  '$action: a shard leg that fails or is killed while it writes (built dist)',
  (writer) => {
    const leg = (workspace: string, dir: 'a' | 'b', fault: { wrap?: string[]; timeoutMs?: number } = {}) =>
      runAction({ action: writer.action, workspace, inputs: writer.shard(dir), ...fault });
    const written = (workspace: string, dir: 'a' | 'b') =>
      readFileSync(join(workspace, writer.folder, `${dir}.json`), 'utf8');
    const expectSuccess = (run: ActionRun) => {
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
    };
    let undisturbed: string;

    beforeAll(async () => {
      const workspace = workspaceWith(FILES);
      expectSuccess(await leg(workspace, 'a'));
      undisturbed = written(workspace, 'a');
    });

    it.each(['fsync', 'rename'])(
      'leaves nothing when %s fails, says so, and its re-run writes the file',
      async (calls) => {
        const workspace = workspaceWith(FILES);
        const failed = await leg(workspace, 'a', { wrap: eioFrom(1, calls) });
        expect(expectCleanFailure(failed)).toBe(
          `Input '${writer.input}' names a file that cannot be written: ${writer.folder}/a.json (EIO). Nothing was written there; check that the disk has room and the folder is writable, then re-run the step`,
        );
        // Not the file, and not the temporary one it was written to first.
        expect(readdirSync(join(workspace, writer.folder))).toEqual([]);
        expectSuccess(await leg(workspace, 'a'));
        expect(written(workspace, 'a')).toBe(undisturbed);
      },
    );

    it('leaves no file for the merge when killed mid-write; its re-run writes it, and the shards merge', async () => {
      const workspace = workspaceWith(FILES);
      const killed = await leg(workspace, 'a', {
        wrap: delayedBy(FSYNC_HELD_MS, 'fsync'),
        timeoutMs: KILL_AFTER_MS,
      });
      // A killed child has no exit code. It was killed with its temporary file written, before the rename.
      expect(killed.exitCode).toBe(-1);
      const left = readdirSync(join(workspace, writer.folder));
      expect(left).toHaveLength(1);
      expect(left[0]).toMatch(/^\.a\.json\.\d+\.[0-9a-f]+\.tmp$/);
      expectSuccess(await leg(workspace, 'a'));
      expect(written(workspace, 'a')).toBe(undisturbed);
      expectSuccess(await leg(workspace, 'b'));
      // The killed leg's temporary file is not one of the files the merge's glob takes.
      const merged = await runAction({ action: writer.action, workspace, inputs: writer.merge });
      expectSuccess(merged);
    });
  },
);
