import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256OfFile, updateHashWithFile } from '../src/index';

describe('file hashing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'file-hash-'));
  const big = join(dir, 'big.bin');
  // Larger than one read-stream chunk (64 KiB), so the streaming path is exercised.
  const content = Buffer.alloc(200_000, 7);
  writeFileSync(big, content);

  it('digests a file like sha256sum', async () => {
    expect((await sha256OfFile(big)).toString('hex')).toBe(
      createHash('sha256').update(content).digest('hex'),
    );
  });

  it('streams a file into a running hash after other data', async () => {
    const hash = createHash('sha256').update('prefix');
    await updateHashWithFile(hash, big);
    expect(hash.digest('hex')).toBe(createHash('sha256').update('prefix').update(content).digest('hex'));
  });

  it('rejects when the file cannot be read', async () => {
    await expect(sha256OfFile(join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
  });
});
