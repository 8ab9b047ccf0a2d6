import { readFileSync } from 'node:fs';
import { assign, fnv1a32, splitSchema, userBucket } from '../src/index';

interface Vector {
  userId: string;
  salt: string;
  split: { version: string; weight: number }[];
  fnv1a32: number;
  bucket: number;
  version: string;
}

// Made by test/fixtures/assign_vectors.py (an independent Python implementation); the README lists the same vectors.
const vectors = JSON.parse(
  readFileSync(new URL('./fixtures/assign-vectors.json', import.meta.url), 'utf8'),
) as Vector[];

describe('assign', () => {
  it('matches the published FNV-1a 32-bit test values', () => {
    const encode = (text: string) => new TextEncoder().encode(text);
    expect(fnv1a32(encode(''))).toBe(0x811c9dc5);
    expect(fnv1a32(encode('a'))).toBe(0xe40c292c);
    expect(fnv1a32(encode('foobar'))).toBe(0xbf9cf968);
  });

  it.each(vectors.map((vector) => [vector.userId, vector.salt, vector] as const))(
    'assigns user %j with salt %j like the reference',
    (userId, salt, vector) => {
      const split = splitSchema().parse({ targets: vector.split, stickiness: 'user' });
      expect(fnv1a32(new TextEncoder().encode(`${salt}:${userId}`))).toBe(vector.fnv1a32);
      expect(userBucket(userId, salt)).toBe(vector.bucket);
      expect(assign(userId, split, salt)).toBe(vector.version);
    },
  );

  it('covers both sides of each split in the vectors', () => {
    expect(new Set(vectors.map((vector) => vector.version))).toEqual(
      new Set(['v1', 'v2', 'stable', 'canary', 'a', 'b']),
    );
  });

  it('shares users by weight and only moves users towards a growing canary', () => {
    const at = (weight: number) =>
      splitSchema().parse({
        targets: [
          { version: 'stable', weight: 100 - weight },
          { version: 'canary', weight },
        ],
        stickiness: 'user',
      });
    const users = Array.from({ length: 20_000 }, (_, index) => `user-${index}`);
    const at10 = users.map((user) => assign(user, at(10), 'production'));
    const at25 = users.map((user) => assign(user, at(25), 'production'));
    const share = at10.filter((version) => version === 'canary').length / users.length;
    // Binomial sd at n = 20 000, p = 0.1 is 0.0021; 4 sd keeps the test deterministic yet meaningful.
    expect(Math.abs(share - 0.1)).toBeLessThan(0.0085);
    expect(at10.every((version, index) => version === 'stable' || at25[index] === 'canary')).toBe(true);
    expect(users.map((user) => assign(user, at(0), 'production')).includes('canary')).toBe(false);
  });
});
