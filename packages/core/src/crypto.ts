import type * as NodeCrypto from 'node:crypto';
import type { Hash } from 'node:crypto';

// node:crypto takes ~12 ms to load, and most action runs (every bad input among them) hash nothing, so it is
// loaded on first use. getBuiltinModule is the synchronous way to do that (Node 20.16 and later).
const nodeCrypto = (): typeof NodeCrypto => process.getBuiltinModule('node:crypto');

export function sha256(): Hash {
  return nodeCrypto().createHash('sha256');
}

/** `bytes` random bytes as hex, for names that must not collide across processes. */
export function randomHex(bytes: number): string {
  return nodeCrypto().randomBytes(bytes).toString('hex');
}

export function randomId(): string {
  return nodeCrypto().randomUUID();
}
