import type { JournalWriter } from './ledgers';

/** The window of the hand-computed scenarios: the 28 days of March 2026 from the 1st. */
export const MARCH = { since: new Date('2026-03-01T00:00:00Z'), until: new Date('2026-03-29T00:00:00Z') };

export const COMMITS = {
  c2: { sha: 'c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2', at: '2026-03-01T11:02:00Z' },
  c3: { sha: 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3', at: '2026-03-09T08:01:00Z' },
  c5: { sha: 'c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5', at: '2026-03-20T11:01:00Z' },
  s2: { sha: '5252525252525252525252525252525252525252', at: '2026-02-28T08:01:00Z' },
};

export type CommitName = keyof typeof COMMITS;

/** The SHA a scenario records for a commit; e2e tests pass the SHAs of real commits made at COMMITS' times. */
function fixedSha(name: CommitName): string {
  return COMMITS[name].sha;
}

/**
 * production in March: v2 and v3 promoted, v4 rolled back during its canary, v5 promoted then rolled back the
 * next day. v1 went live in February, before the window.
 */
export async function writeProduction(writer: JournalWriter, sha = fixedSha): Promise<void> {
  await writer.promote('v1', { at: '2026-02-20T10:00:00Z' });
  await writer.canary('v2', 10, { at: '2026-03-02T09:00:00Z' });
  await writer.promote('v2', { at: '2026-03-02T12:00:00Z', minutes: 2, commitSha: sha('c2') });
  await writer.canary('v3', 10, { at: '2026-03-09T09:00:00Z' });
  await writer.promote('v3', { at: '2026-03-09T10:00:00Z', commitSha: sha('c3'), actor: 'bob' });
  await writer.canary('v4', 10, { at: '2026-03-16T09:00:00Z' });
  await writer.rollback('v3', ['v4'], { at: '2026-03-16T09:30:00Z' });
  await writer.canary('v5', 25, { at: '2026-03-23T09:00:00Z' });
  await writer.promote('v5', { at: '2026-03-23T11:00:00Z', commitSha: sha('c5') });
  await writer.rollback('v3', ['v5'], { at: '2026-03-24T09:00:00Z', minutes: 5 });
}

/**
 * staging: v2 promoted on March 1st; a canary of v3 failed to apply, another started on the 28th, its promotion
 * begun but unfinished at the window's end, and finished after it.
 */
export async function writeStaging(writer: JournalWriter, sha = fixedSha): Promise<void> {
  await writer.promote('v2', { at: '2026-03-01T08:00:00Z', commitSha: sha('s2') });
  await writer.canary('v3', 10, { at: '2026-03-27T20:00:00Z', result: 'failed' });
  await writer.canary('v3', 10, { at: '2026-03-28T20:00:00Z' });
  await writer.promote('v3', { at: '2026-03-28T23:50:00Z', minutes: 30 });
}

/** qa: a rollback of a rollback. v2 promoted and rolled back to v1, then that rollback reverted to v2. */
export async function writeQa(writer: JournalWriter): Promise<void> {
  await writer.promote('v1', { at: '2026-03-03T10:00:00Z' });
  await writer.canary('v2', 50, { at: '2026-03-04T10:00:00Z' });
  await writer.promote('v2', { at: '2026-03-04T11:00:00Z' });
  await writer.rollback('v1', ['v2'], { at: '2026-03-05T10:00:00Z', minutes: 2 });
  await writer.rollback('v2', ['v1'], { at: '2026-03-05T12:00:00Z' });
}

/**
 * canary-qa: a rollback of a rollback during a canary. v1 went live in February; v2's canary is rolled back to
 * v1, then that rollback is reverted, taking v1 out for v2.
 */
export async function writeCanaryRevert(writer: JournalWriter): Promise<void> {
  await writer.promote('v1', { at: '2026-02-10T10:00:00Z' });
  await writer.canary('v2', 10, { at: '2026-03-10T10:00:00Z' });
  await writer.rollback('v1', ['v2'], { at: '2026-03-10T10:30:00Z' });
  await writer.rollback('v2', ['v1'], { at: '2026-03-10T11:00:00Z' });
}

/** quiet: one release in January, nothing in the window. */
export async function writeQuiet(writer: JournalWriter): Promise<void> {
  await writer.promote('v1', { at: '2026-01-10T10:00:00Z' });
}

/**
 * A busy environment: `releases` releases two hours apart from January 1st 2026, each a 10 % canary, a 50 %
 * canary after 20 minutes, then after 40 minutes a promotion, or for every tenth release a rollback. Each step
 * takes a minute: three journal steps (deployments) a release.
 */
export async function writeBusy(writer: JournalWriter, releases: number): Promise<void> {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const at = (release: number, minutes: number) =>
    new Date(start + release * 2 * 3_600_000 + minutes * 60_000).toISOString();
  await writer.promote('v0', { at: at(-1, 0) });
  for (let release = 0; release < releases; release += 1) {
    const version = `v${release + 1}`;
    await writer.canary(version, 10, { at: at(release, 0) });
    await writer.canary(version, 50, { at: at(release, 20) });
    if (release % 10 === 9) await writer.rollback(`v${release}`, [version], { at: at(release, 40) });
    else await writer.promote(version, { at: at(release, 40) });
  }
}
