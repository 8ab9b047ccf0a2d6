import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const NGINX_SERVICE = {
  name: 'nginx',
  executable: 'nginx',
  debianPackage: 'nginx-light',
} as const;

export interface NginxOptions {
  /** The binary, e.g. the path describeWithService hands to its body. */
  executable: string;
  /** Directives placed inside `http { … }`: servers, includes, upstreams. May refer to the prefix as `{prefix}`. */
  http: string;
  /** Files to create inside the prefix before nginx starts, e.g. an include the config refers to. */
  files?: Record<string, string>;
  readyTimeoutMs?: number;
}

export interface NginxInstance {
  /** The temporary folder holding the config, pid file, logs and temp paths. */
  readonly prefix: string;
  /** argv that checks the config the way `nginx -t` does for a system nginx. */
  readonly testCommand: string[];
  /** argv that makes the running master reload its config. */
  readonly reloadCommand: string[];
  /** The error log so far, for assertions and for failure messages. */
  errorLog(): string;
  /** Stops nginx (SIGTERM, then SIGKILL) and deletes the prefix; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts an unprivileged, throwaway nginx in the foreground with `-p <tmp> -c <tmp>/nginx.conf`; every path it
 * writes (pid, error log, temp folders) is inside the prefix, so it needs no root and leaves nothing behind.
 */
export async function startNginx(options: NginxOptions): Promise<NginxInstance> {
  const prefix = mkdtempSync(join(tmpdir(), 'nginx-'));
  // When the tests run as root, nginx's workers switch to `nobody`, which must be able to enter the prefix.
  chmodSync(prefix, 0o755);
  mkdirSync(join(prefix, 'temp'), { mode: 0o755 });
  for (const [name, content] of Object.entries(options.files ?? {})) {
    mkdirSync(join(prefix, name, '..'), { recursive: true });
    writeFileSync(join(prefix, name), content.replaceAll('{prefix}', prefix));
  }
  const config = join(prefix, 'nginx.conf');
  writeFileSync(config, mainConfig(prefix, options.http.replaceAll('{prefix}', prefix)));
  const base = [options.executable, '-p', `${prefix}/`, '-c', config];

  const child = spawn(base[0] ?? '', base.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errorLog = () => {
    const log = join(prefix, 'error.log');
    return `${stderr}${existsSync(log) ? readFileSync(log, 'utf8') : ''}`;
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(prefix, { recursive: true, force: true });
  };

  // nginx writes its pid file after binding every listen socket, so from then on connections are accepted.
  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  while (!existsSync(join(prefix, 'nginx.pid'))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = errorLog();
      await stop();
      throw new Error(`nginx did not start (exit code ${child.exitCode}): ${log}`);
    }
    await sleep(20);
  }

  return {
    prefix,
    testCommand: [...base, '-t', '-q'],
    reloadCommand: [...base, '-s', 'reload'],
    errorLog,
    stop,
  };
}

function mainConfig(prefix: string, http: string): string {
  const temp = (name: string) => `${prefix}/temp/${name}`;
  return `daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log notice;
events {
    worker_connections 512;
}
http {
    access_log off;
    client_body_temp_path ${temp('body')};
    proxy_temp_path ${temp('proxy')};
    fastcgi_temp_path ${temp('fastcgi')};
    uwsgi_temp_path ${temp('uwsgi')};
    scgi_temp_path ${temp('scgi')};
${http}
}
`;
}

/**
 * A site proxying to the traffic router's upstream that also shadows, as the traffic package README tells a
 * team to configure it once: every request is mirrored to the shadow location, which forwards it while a shadow
 * runs and answers it itself otherwise.
 */
export function nginxShadowSite(port: number, upstream = 'recsys'): string {
  return `
    server {
        listen 127.0.0.1:${port};
        location / {
            mirror /recsys-shadow;
            proxy_pass http://$${upstream}_upstream;
        }
        location = /recsys-shadow {
            internal;
            if ($${upstream}_shadow_upstream = "") { return 204; }
            proxy_pass http://$${upstream}_shadow_upstream$request_uri;
        }
    }`;
}
