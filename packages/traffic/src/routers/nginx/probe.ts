import { setTimeout as sleep } from 'node:timers/promises';
import { PROBE_PATH } from './render';

/**
 * nginx's master starts the new workers, sleeps 100 ms ("allow new processes to start") and only then tells
 * the old workers to stop accepting; until they do, new connections land on old and new workers alike. So
 * the first answer with the new revision is not enough. apply() returns once every probe for `settleMs` (longer
 * than that hand-over) has answered the new revision on a fresh connection: by then the old workers were told
 * to stop, and any old worker still accepting would have shown up and restarted the wait.
 */
const HAND_OVER_SETTLE_MS = 150;

/**
 * Waits until nginx answers the probe with `revision` continuously for `settleMs`. The reload signal returns
 * before the new workers run, and a config the master cannot apply (say, a port it cannot bind) is dropped
 * with only a log line, so this is the one reliable sign that new requests follow the new split.
 */
export async function waitForRevision(
  listen: string,
  revision: string,
  timeoutMs: number,
  settleMs = HAND_OVER_SETTLE_MS,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let onlyNewSince: number | undefined;
  while (Date.now() < deadline) {
    if ((await fetchRevision(listen)) === revision) {
      onlyNewSince ??= Date.now();
      if (Date.now() - onlyNewSince >= settleMs) return true;
      await sleep(2);
    } else {
      onlyNewSince = undefined;
      await sleep(5);
    }
  }
  return false;
}

/** The revision the probe server answers now, or undefined when nothing answers 200. */
export function fetchRevision(listen: string): Promise<string | undefined> {
  const [host, port] = splitListen(listen);
  // Loaded on first use, not at import: every action's cold start (a bad input included) would pay for it.
  const { request } = process.getBuiltinModule('node:http');
  return new Promise((resolve) => {
    const call = request({ host, port, path: PROBE_PATH, agent: false, timeout: 1000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(response.statusCode === 200 ? body.trim() : undefined));
      response.on('error', () => resolve(undefined));
    });
    call.on('timeout', () => call.destroy());
    call.on('error', () => resolve(undefined));
    call.end();
  });
}

/** nginx `listen` forms used here: `host:port`, `[::1]:port` or a bare port (all interfaces, probed on loopback). */
function splitListen(listen: string): [string, number] {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(listen);
  if (match) return [match[1] ?? match[2] ?? '127.0.0.1', Number(match[3])];
  return ['127.0.0.1', Number(listen)];
}
