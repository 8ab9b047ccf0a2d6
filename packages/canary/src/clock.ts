/** Time as the gate sees it, injected so that tests of a realtime source do not have to wait. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Sleeps until `deadlineMs` on the clock; returns at once when it has already passed. */
export async function sleepUntil(clock: Clock, deadlineMs: number): Promise<void> {
  const remaining = deadlineMs - clock.now();
  if (remaining > 0) await clock.sleep(remaining);
}
