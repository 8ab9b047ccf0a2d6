import { git } from '@recsys-actions/testkit';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserFacingError } from '@recsys-actions/core';
import { commitAndPush, GITHUB_ACTIONS_BOT, redactCredentials } from '../src/git-push';

/** A bare origin with traffic.json and notes.txt on main, and two clones of it (two jobs). */
function originAndTwoClones() {
  const root = mkdtempSync(join(tmpdir(), 'git-push-'));
  const origin = join(root, 'origin.git');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', origin);
  const first = join(root, 'first');
  git(root, 'clone', '--quiet', origin, first);
  writeFileSync(join(first, 'traffic.json'), '{"v1":100}\n');
  writeFileSync(join(first, 'notes.txt'), 'notes\n');
  git(first, 'add', '.');
  git(first, 'commit', '--quiet', '-m', 'start');
  git(first, 'push', '--quiet', 'origin', 'main');
  const second = join(root, 'second');
  git(root, 'clone', '--quiet', origin, second);
  return { origin, first, second };
}

const request = (workspace: string, message = 'recsys: production v1 90% / v2 10%') => ({
  workspace,
  files: ['traffic.json', '.recsys/ledger/production.jsonl'],
  message,
  author: GITHUB_ACTIONS_BOT,
  branch: 'main',
});

describe('commitAndPush', () => {
  it('commits only the given files, as github-actions[bot], and pushes them', async () => {
    const { origin, first } = originAndTwoClones();
    writeFileSync(join(first, 'traffic.json'), '{"v1":90,"v2":10}\n');
    writeFileSync(join(first, 'notes.txt'), 'an unrelated edit stays out\n');
    const pushed = await commitAndPush(request(first));
    expect(pushed.attempts).toBe(1);
    expect(git(origin, 'log', '-1', '--format=%an <%ae>|%s', 'main')).toBe(
      'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|recsys: production v1 90% / v2 10%',
    );
    expect(git(origin, 'show', '--name-only', '--format=', 'main')).toBe('traffic.json');
    expect(git(origin, 'rev-parse', 'main')).toBe(pushed.commit);
  });

  it('does nothing when the files did not change', async () => {
    const { origin, first } = originAndTwoClones();
    const before = git(origin, 'rev-parse', 'main');
    expect(await commitAndPush(request(first))).toEqual({ attempts: 0 });
    expect(git(origin, 'rev-parse', 'main')).toBe(before);
  });

  it('rebases onto a push of other files and retries', async () => {
    const { origin, first, second } = originAndTwoClones();
    writeFileSync(join(second, 'notes.txt'), 'someone else\n');
    git(second, 'commit', '--quiet', '-am', 'other');
    git(second, 'push', '--quiet', 'origin', 'main');
    writeFileSync(join(first, 'traffic.json'), '{"v1":90,"v2":10}\n');
    const pushed = await commitAndPush(request(first));
    expect(pushed.attempts).toBe(2);
    expect(git(origin, 'log', '--format=%s', 'main').split('\n')).toEqual([
      'recsys: production v1 90% / v2 10%',
      'other',
      'start',
    ]);
  });

  it('refuses, aborting the rebase, when another step moved the split first', async () => {
    const { origin, first, second } = originAndTwoClones();
    writeFileSync(join(second, 'traffic.json'), '{"v1":75,"v2":25}\n');
    git(second, 'commit', '--quiet', '-am', 'theirs');
    git(second, 'push', '--quiet', 'origin', 'main');
    writeFileSync(join(first, 'traffic.json'), '{"v1":90,"v2":10}\n');
    const failure = commitAndPush(request(first));
    await expect(failure).rejects.toThrow(UserFacingError);
    await expect(failure).rejects.toThrow(
      'Another step pushed a change to the same traffic or ledger files on main first, so this one was not pushed and traffic did not move',
    );
    expect(git(origin, 'log', '-1', '--format=%s', 'main')).toBe('theirs');
    expect(git(first, 'status', '--porcelain')).toBe('');
  });

  it('says traffic did not move, and names the permissions, when the push is refused', async () => {
    const { origin, first } = originAndTwoClones();
    // What GitHub answers a token without contents: write, from a hook so that it holds for root too.
    const hook = join(origin, 'hooks', 'pre-receive');
    writeFileSync(
      hook,
      '#!/bin/sh\necho "Permission to o/r.git denied to github-actions[bot]." >&2\nexit 1\n',
    );
    chmodSync(hook, 0o755);
    writeFileSync(join(first, 'traffic.json'), '{"v1":90,"v2":10}\n');
    await expect(commitAndPush(request(first))).rejects.toThrow(
      /^Could not push the traffic change to main, so traffic did not move: .*`permissions: contents: write` and actions\/checkout with `persist-credentials: true`\. git said: .*Permission to o\/r.git denied/,
    );
  });

  it('never shows the credentials of a remote URL', () => {
    expect(
      redactCredentials("fatal: unable to access 'https://x-access-token:ghs_abc@github.com/o/r/'"),
    ).toBe("fatal: unable to access 'https://***@github.com/o/r/'");
  });
});
