import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lookUpCommitTimes } from '../src';

describe('lookUpCommitTimes outside a git repository', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'not-a-repo-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  // More SHAs than a pipe buffer holds: git exits before reading them, so the write to its stdin fails with
  // EPIPE. That once killed the deployment-report process with an unhandled 'error' event.
  it('reports every commit missing instead of crashing on the closed pipe', async () => {
    const shas = Array.from({ length: 20_000 }, (_, index) => index.toString(16).padStart(40, '0'));
    const lookup = await lookUpCommitTimes(shas, folder);
    expect(lookup.times.size).toBe(0);
    expect(lookup.fromApi).toBe(0);
    expect(lookup.missing).toHaveLength(20_000);
  });

  it('asks the API for the commits git does not know', async () => {
    const lookup = await lookUpCommitTimes(['abc1234'], folder, {
      committedAt: async (sha) => (sha === 'abc1234' ? '2026-01-02T03:04:05Z' : undefined),
    });
    expect(lookup.times.get('abc1234')).toBe(Date.parse('2026-01-02T03:04:05Z'));
    expect(lookup.fromApi).toBe(1);
    expect(lookup.missing).toEqual([]);
  });
});
