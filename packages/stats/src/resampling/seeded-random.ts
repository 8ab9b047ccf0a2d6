/**
 * A seeded generator (Marsaglia's xorshift128, its four words seeded by splitmix32): the same seed draws the same
 * resamples on every machine, so a report's interval and p-value can be reproduced. Resampling needs speed and
 * an even spread, not cryptographic strength; a bootstrap of 100,000 users draws 10^8 numbers per 1,000 resamples.
 */
export class SeededRandom {
  private x: number;
  private y: number;
  private z: number;
  private w: number;

  constructor(seed: number) {
    let state = seed >>> 0;
    const splitmix = () => {
      state = (state + 0x9e3779b9) | 0;
      let t = state ^ (state >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) | 0;
    };
    this.x = splitmix();
    this.y = splitmix();
    this.z = splitmix();
    // xorshift128 must not start from all zeros; splitmix32 makes that practically impossible, this makes it so.
    this.w = splitmix() || 1;
  }

  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const t = this.x ^ (this.x << 11);
    this.x = this.y;
    this.y = this.z;
    this.z = this.w;
    this.w = this.w ^ (this.w >>> 19) ^ (t ^ (t >>> 8));
    return this.w >>> 0;
  }

  /** Moves on `draws` numbers without using them, as if they had been drawn. */
  skip(draws: number): void {
    for (let draw = 0; draw < draws; draw++) this.nextUint32();
  }

  /**
   * Draws `counts.length` indices uniformly from [0, counts.length) with replacement and counts each one's draws
   * into `counts` (which it zeroes first): one bootstrap resample's multinomial weights. Kept in one loop over
   * local state because it is the hot path of every bootstrap.
   */
  drawCounts(counts: Int32Array): void {
    const size = counts.length;
    const scale = size / 4294967296;
    let { x, y, z, w } = this;
    counts.fill(0);
    for (let draw = 0; draw < size; draw++) {
      const t = x ^ (x << 11);
      x = y;
      y = z;
      z = w;
      w = w ^ (w >>> 19) ^ (t ^ (t >>> 8));
      // The high bits pick the index, as a product rather than a modulo, which would favour small indices.
      const index = Math.floor((w >>> 0) * scale);
      counts[index] = (counts[index] as number) + 1;
    }
    Object.assign(this, { x, y, z, w });
  }
}
