import { setTimeout as sleep } from 'node:timers/promises';

export interface HealthResult {
  healthy: boolean;
  /** The last answer: `HTTP 200`, or why there was none (`ECONNREFUSED`, `timed out`). */
  answer: string;
  attempts: number;
  elapsedMs: number;
}

/** One answer gets this long at most, so a hanging service cannot use up the whole wait on one request. */
const ATTEMPT_TIMEOUT_MS = 5_000;
const POLL_INTERVAL_MS = 100;

/** Asks once: the state before the switch is evidence for the report, not a reason to wait. */
export async function checkHealthOnce(url: URL, timeoutMs: number): Promise<HealthResult> {
  const started = performance.now();
  const { ok, answer } = await probe(url, Math.min(timeoutMs, ATTEMPT_TIMEOUT_MS));
  return { healthy: ok, answer, attempts: 1, elapsedMs: Math.round(performance.now() - started) };
}

/** Polls until a 2xx answer or until `timeoutMs` has passed. */
export async function waitForHealth(url: URL, timeoutMs: number): Promise<HealthResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  for (let attempts = 1; ; attempts += 1) {
    const { ok, answer } = await probe(url, Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS, timeoutMs - elapsed())));
    if (ok || elapsed() + POLL_INTERVAL_MS >= timeoutMs) {
      return { healthy: ok, answer, attempts, elapsedMs: Math.round(elapsed()) };
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

/**
 * A fresh connection per attempt: a pooled keep-alive connection can stay bound to a proxy worker from before the
 * switch and would report on the old routing.
 */
function probe(url: URL, timeoutMs: number): Promise<{ ok: boolean; answer: string }> {
  // Loaded on first use, not at import: every action's cold start (a bad input included) would pay for it.
  const request = process.getBuiltinModule(url.protocol === 'https:' ? 'node:https' : 'node:http').request;
  return new Promise((resolve) => {
    const call = request(url, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      response.on('end', () => resolve({ ok: status >= 200 && status < 300, answer: `HTTP ${status}` }));
      response.on('error', (error) => resolve({ ok: false, answer: error.message }));
    });
    call.on('timeout', () => call.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    call.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ ok: false, answer: error.code ?? error.message }),
    );
    call.end();
  });
}
