import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRouter, parseRouterConfig } from '@recsys-actions/traffic';
import { readRouterConfig, stepLockPath, withStepLock } from '../src/index';

const nginx = parseRouterConfig('nginx', { path: '/etc/nginx/conf.d/recsys.conf', servers: {} });
const file = parseRouterConfig('file', {});
const runnerA = mkdtempSync(join(tmpdir(), 'release-runner-a-'));
const runnerB = mkdtempSync(join(tmpdir(), 'release-runner-b-'));
const lockOf = (config: typeof file, environment: string, workspace: string) =>
  stepLockPath(createRouter(config, { environment, workspace }), environment);

describe('stepLockPath', () => {
  it('is shared by every checkout that routes the same nginx include', () => {
    const a = lockOf(nginx, 'production', runnerA);
    expect(lockOf(nginx, 'production', runnerB)).toBe(a);
    expect(a.startsWith(join(tmpdir(), 'recsys-actions-locks', 'production-'))).toBe(true);
  });

  it('differs per environment and per traffic file', () => {
    const paths = new Set([
      lockOf(file, 'production', runnerA),
      lockOf(file, 'staging', runnerA),
      lockOf(file, 'production', runnerB),
      lockOf(nginx, 'production', runnerA),
    ]);
    expect(paths.size).toBe(4);
  });
});

describe('withStepLock', () => {
  it('runs overlapping critical sections one after the other', async () => {
    const place = { environment: 'production', workspace: mkdtempSync(join(tmpdir(), 'release-lock-')) };
    const trace: string[] = [];
    const section = (name: string) => async () => {
      trace.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, 30));
      trace.push(`${name} out`);
    };
    const router = createRouter(file, place);
    await Promise.all([
      withStepLock(router, place.environment, section('a')),
      withStepLock(router, place.environment, section('b')),
    ]);
    expect(trace).toEqual(['a in', 'a out', 'b in', 'b out']);
  });
});

// os.tmpdir() reads the real environment, not jest's copy of it, so these runs are child processes that are
// given a temporary folder of their own as the host's, world-writable and sticky like /tmp.
describe('the shared lock folder', () => {
  let hostTmp = '';
  let folder = '';
  beforeEach(() => {
    hostTmp = mkdtempSync(join(tmpdir(), 'release-host-tmp-'));
    chmodSync(hostTmp, 0o1777);
    folder = join(hostTmp, 'recsys-actions-locks');
  });

  const child = fileURLToPath(new URL('./fixtures/step-lock-child.ts', import.meta.url));
  const takeStepLock = (user: { uid?: number; gid?: number } = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', child, runnerA], {
      ...user,
      env: { ...process.env, TMPDIR: hostTmp },
      encoding: 'utf8',
    });
  const modeOf = (path: string) => statSync(path).mode & 0o7777;

  it('is made sticky and world-writable by its first user, whatever the umask', () => {
    const umask = process.umask(0o022);
    try {
      expect(takeStepLock().stdout).toBe('entered');
    } finally {
      process.umask(umask);
    }
    expect(modeOf(folder)).toBe(0o1777);
  });

  it('is fixed when an older run made it with a narrower mode', () => {
    mkdirSync(folder, { mode: 0o755 });
    expect(takeStepLock().stdout).toBe('entered');
    expect(modeOf(folder)).toBe(0o1777);
  });

  const asRoot = process.getuid?.() === 0 ? it : it.skip;
  const nobody = { uid: 65534, gid: 65534 };

  asRoot('lets another user take step locks in the folder its first user made', () => {
    expect(takeStepLock().stdout).toBe('entered');
    const other = takeStepLock(nobody);
    expect(other.stdout).toBe('entered');
    expect(other.status).toBe(0);
  });

  asRoot("names the folder and the fix when it is another user's and not writable", () => {
    mkdirSync(folder, { mode: 0o755 });
    const other = takeStepLock(nobody);
    expect(other.stdout).toBe(
      `The shared lock folder ${folder} belongs to uid 0 and this user may not write to it; ` +
        `as its owner or root run: chmod 1777 ${folder}`,
    );
    expect(other.status).toBe(1);
  });
});

describe('readRouterConfig', () => {
  const read = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

  it('defaults to the file router with its default path', () => {
    expect(readRouterConfig(read({}), '/ws')).toEqual({ type: 'file', path: 'traffic/{environment}.json' });
  });

  it('reports a wrong router before looking at its config', () => {
    expect(() => readRouterConfig(read({ router: 'envoy', 'router-config': '{ bad' }), '/ws')).toThrow(
      /Input 'router' must be one of file, nginx, .*sagemaker, lambda, alb.*, got 'envoy'/,
    );
  });

  it('reports YAML syntax errors of router-config', () => {
    expect(() => readRouterConfig(read({ 'router-config': '{ path: [' }), '/ws')).toThrow(
      /^Input 'router-config' is not valid YAML/,
    );
  });

  it('names the router-config input in a config error found by the router', () => {
    expect(() =>
      readRouterConfig(
        read({ router: 'nginx', 'router-config': '{ path: a.conf, servers: {}, upstreams: x }' }),
        '/ws',
      ),
    ).toThrow(
      "Input 'router-config' for router 'nginx' has an unknown key 'upstreams'. Example: router-config: {",
    );
  });
});
