import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintModel, parseSize } from '../src/index';

describe('fingerprintModel', () => {
  it('hashes a single file like sha256sum', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-'));
    writeFileSync(join(dir, 'model.bin'), 'weights');
    const expected = createHash('sha256').update('weights').digest('hex');
    expect(await fingerprintModel(join(dir, 'model.bin'))).toEqual({
      sha256: expected,
      sizeBytes: 7,
      files: 1,
    });
  });

  it('hashes a directory over sorted relative paths, sizes and contents', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-dir-'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'b', 'w.bin'), 'xy');
    writeFileSync(join(dir, 'a.json'), '{}');
    const expected = createHash('sha256')
      .update('a.json\0' + '2\0{}' + 'b/w.bin\0' + '2\0xy')
      .digest('hex');
    expect(await fingerprintModel(dir)).toEqual({ sha256: expected, sizeBytes: 4, files: 2 });
  });

  it('changes when a file is renamed', async () => {
    const one = mkdtempSync(join(tmpdir(), 'model-a-'));
    const two = mkdtempSync(join(tmpdir(), 'model-b-'));
    writeFileSync(join(one, 'x'), 'same');
    writeFileSync(join(two, 'y'), 'same');
    expect((await fingerprintModel(one)).sha256).not.toBe((await fingerprintModel(two)).sha256);
  });
});

describe('fingerprintModel and symbolic links', () => {
  it('follows links inside the workspace and skips a directory link that loops back', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'model-ws-'));
    const model = join(workspace, 'model');
    mkdirSync(join(model, 'shards'), { recursive: true });
    writeFileSync(join(workspace, 'shared.bin'), 'ab');
    writeFileSync(join(model, 'shards', 'w.bin'), 'xy');
    symlinkSync(join(workspace, 'shared.bin'), join(model, 'shared.bin'));
    symlinkSync(model, join(model, 'shards', 'loop'));
    const expected = createHash('sha256')
      .update('shards/w.bin\0' + '2\0xy' + 'shared.bin\0' + '2\0ab')
      .digest('hex');
    expect(await fingerprintModel(model, workspace)).toEqual({ sha256: expected, sizeBytes: 4, files: 2 });
  });

  it('refuses a link that leads outside the workspace', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'model-outside-'));
    writeFileSync(join(outside, 'secret'), 'x');
    const workspace = mkdtempSync(join(tmpdir(), 'model-ws-'));
    const model = join(workspace, 'model');
    mkdirSync(join(model, 'sub'), { recursive: true });
    symlinkSync(outside, join(model, 'sub', 'escape'));
    await expect(fingerprintModel(model, workspace)).rejects.toThrow(
      'sub/escape: is a symbolic link that leads outside the workspace',
    );
  });
});

describe('parseSize', () => {
  it('reads decimal and binary units', () => {
    expect(parseSize('1GB')).toBe(1e9);
    expect(parseSize('1.5 MiB')).toBe(1572864);
    expect(parseSize('2048')).toBe(2048);
    expect(parseSize('big')).toBeUndefined();
  });
});
