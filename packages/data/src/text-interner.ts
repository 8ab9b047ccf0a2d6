const EMPTY = -1;
const FNV_PRIME = 0x01000193;

/**
 * The hash of no bytes; fold each byte in with {@link hashByte}. Exported with it so a reader can hash a field
 * while it looks for the field's end and hand the hash to {@link TextInterner.internHashed}. Kept as a signed int32
 * like every other hash, or the empty text would never equal its stored hash and be added again on each use.
 */
export const HASH_SEED = 0x811c9dc5 | 0;

/** One step of 32-bit FNV-1a: quick on short ids, spreads them well enough. */
export function hashByte(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, FNV_PRIME);
}

/** The texts of a {@link TextInterner}, from {@link TextInterner.texts}. */
export interface InternedTexts {
  readonly bytes: Uint8Array;
  readonly starts: Int32Array;
}

/**
 * Gives each distinct text a dense id (0, 1, 2, ...). Texts are hashed and stored as UTF-8 bytes in one arena, so
 * a reader can intern a field straight from its file buffer without building a string per row.
 */
export class TextInterner {
  private slots = new Int32Array(1024).fill(EMPTY);
  private hashes = new Int32Array(256);
  private starts = new Int32Array(257);
  private arena = Buffer.allocUnsafe(4096);
  private count = 0;
  private readonly decoded: (string | undefined)[] = [];

  get size(): number {
    return this.count;
  }

  intern(text: string): number {
    const bytes = Buffer.from(text);
    return this.internBytes(bytes, 0, bytes.length);
  }

  internBytes(bytes: Uint8Array, start: number, end: number): number {
    return this.internHashed(bytes, start, end, hashBytes(bytes, start, end));
  }

  /** {@link internBytes} for bytes already hashed with {@link hashByte}, from {@link HASH_SEED}. */
  internHashed(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot] as number;
      if (id === EMPTY) {
        this.slots[slot] = this.add(bytes, start, end, hash);
        if (this.count * 2 > this.slots.length) this.rehash();
        return this.count - 1;
      }
      if (this.hashes[id] === hash && this.equals(id, bytes, start, end)) return id;
    }
  }

  /** The id of `text`, or undefined when it was never interned. */
  lookup(text: string): number | undefined {
    const bytes = Buffer.from(text);
    const hash = hashBytes(bytes, 0, bytes.length);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot] as number;
      if (id === EMPTY) return undefined;
      if (this.hashes[id] === hash && this.equals(id, bytes, 0, bytes.length)) return id;
    }
  }

  name(id: number): string {
    let text = this.decoded[id];
    if (text === undefined) {
      text = this.arena.toString('utf8', this.starts[id], this.starts[id + 1]);
      this.decoded[id] = text;
    }
    return text;
  }

  /**
   * Every text, as UTF-8 bytes and the offsets of each id's bytes (id i is `bytes[starts[i] .. starts[i + 1])`):
   * copies in buffers of their own, so they can be moved to another thread and interned there with
   * {@link internAll}.
   */
  texts(): InternedTexts {
    const starts = this.starts.slice(0, this.count + 1);
    const bytes = new Uint8Array(starts[this.count] as number);
    bytes.set(this.arena.subarray(0, bytes.length));
    return { bytes, starts };
  }

  /** Interns each of `texts` in id order; returns their ids here, indexed by their ids there. */
  internAll({ bytes, starts }: InternedTexts): Int32Array {
    const ids = new Int32Array(starts.length - 1);
    for (let id = 0; id < ids.length; id++)
      ids[id] = this.internBytes(bytes, starts[id] as number, starts[id + 1] as number);
    return ids;
  }

  private equals(id: number, bytes: Uint8Array, start: number, end: number): boolean {
    const from = this.starts[id] as number;
    if ((this.starts[id + 1] as number) - from !== end - start) return false;
    const arena = this.arena;
    for (let i = start, j = from; i < end; i++, j++) if (bytes[i] !== arena[j]) return false;
    return true;
  }

  private add(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const id = this.count;
    if (id + 1 === this.hashes.length) {
      this.hashes = grownInt32(this.hashes);
      this.starts = grownInt32(this.starts);
    }
    const from = this.starts[id] as number;
    const to = from + end - start;
    if (to > this.arena.length) {
      const larger = Buffer.allocUnsafe(Math.max(this.arena.length * 2, to));
      this.arena.copy(larger, 0, 0, from);
      this.arena = larger;
    }
    this.arena.set(bytes.subarray(start, end), from);
    this.starts[id + 1] = to;
    this.hashes[id] = hash;
    this.count++;
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = (this.hashes[id] as number) & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}

/** The hash of `bytes[start, end)`, a signed int32 (as stored in an Int32Array). */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = HASH_SEED;
  for (let i = start; i < end; i++) hash = hashByte(hash, bytes[i] as number);
  return hash;
}

function grownInt32(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(array.length * 2);
  larger.set(array);
  return larger;
}
