import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLock, type LockOptions, type Router } from '@recsys-actions/traffic';

/**
 * Runs observe → apply → record of one step under a lock per router target, so two steps on one environment
 * (say, two rollbacks) never interleave: the second reads the history the first wrote. The router and the
 * ledger lock their own files around each write; this lock is a different file, because those locks are not
 * re-entrant.
 */
export function withStepLock<T>(
  router: Router,
  environment: string,
  critical: () => Promise<T>,
  options?: LockOptions,
): Promise<T> {
  return withLock(stepLockPath(router, environment), critical, options);
}

/**
 * The lock lives in the host's temporary folder, keyed by the router's own lock target: every run on this host
 * that can touch that target (an nginx include shared by several runner checkouts) meets the same lock, it needs
 * no write access beside the target, and it never lands in the repository.
 */
export function stepLockPath(router: Router, environment: string): string {
  const key = createHash('sha256').update(router.lockTarget).digest('hex').slice(0, 16);
  return join(tmpdir(), 'recsys-actions-locks', `${environment}-${key}.lock`);
}
