import { TextInterner } from '../src/index';
import { HASH_SEED, hashByte } from '../src/text-interner';

describe('TextInterner', () => {
  it('gives equal texts one id, whether given as strings or bytes, across many rehashes', () => {
    const interner = new TextInterner();
    const texts = Array.from({ length: 5000 }, (_, n) => (n % 7 === 0 ? `é${n}` : `item_${n}`));
    const ids = texts.map((text) => interner.intern(text));
    expect(ids).toEqual(texts.map((_, n) => n));
    const buffer = Buffer.from(`,${texts.join(',')},`);
    let offset = 1;
    for (const [n, text] of texts.entries()) {
      const length = Buffer.byteLength(text);
      expect(interner.internBytes(buffer, offset, offset + length)).toBe(n);
      offset += length + 1;
    }
    expect(interner.size).toBe(5000);
    expect(interner.name(4999)).toBe('item_4999');
    expect(interner.name(0)).toBe('é0');
    expect(interner.lookup('item_78')).toBe(78);
    expect(interner.lookup('item_5000')).toBeUndefined();
    expect(interner.intern('')).toBe(5000);
  });

  it('hands its texts to another interner, which keeps its own ids and adds the new ones in order', () => {
    const worker = new TextInterner();
    for (const text of ['b', 'ça', '', 'a']) worker.intern(text);
    const main = new TextInterner();
    for (const text of ['a', 'c']) main.intern(text);
    const texts = worker.texts();
    worker.intern('after the copy');
    expect(texts.starts.buffer).not.toBe(texts.bytes.buffer);
    expect(Array.from(main.internAll(texts))).toEqual([2, 3, 4, 0]);
    expect([main.name(2), main.name(3), main.name(4), main.size]).toEqual(['b', 'ça', '', 5]);
    expect(Array.from(new TextInterner().internAll(new TextInterner().texts()))).toEqual([]);
  });

  it('gives the empty text one id, like any other', () => {
    const interner = new TextInterner();
    expect([interner.intern(''), interner.internBytes(Buffer.from('a'), 0, 0), interner.intern('')]).toEqual([
      0, 0, 0,
    ]);
    expect(interner.size).toBe(1);
  });

  it('interns bytes hashed by the caller with hashByte like bytes it hashes itself', () => {
    const interner = new TextInterner();
    const buffer = Buffer.from('x,ça,,x,ça');
    const ids = [];
    for (const [start, end] of [
      [0, 1],
      [2, 5],
      [6, 6],
      [7, 8],
      [9, 12],
    ] as const) {
      let hash = HASH_SEED;
      for (let i = start; i < end; i++) hash = hashByte(hash, buffer[i] as number);
      ids.push(interner.internHashed(buffer, start, end, hash));
    }
    expect(ids).toEqual([0, 1, 2, 0, 1]);
    expect([interner.intern('x'), interner.intern('ça'), interner.intern('')]).toEqual([0, 1, 2]);
  });
});
