import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('readRouterConfig', () => {
  const read = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

  it('defaults to the file router with its default path', () => {
    expect(readRouterConfig(read({}), '/ws')).toEqual({ type: 'file', path: 'traffic/{environment}.json' });
  });

  it('reports a wrong router before looking at its config', () => {
    expect(() => readRouterConfig(read({ router: 'envoy', 'router-config': '{ bad' }), '/ws')).toThrow(
      "Input 'router' must be one of file, nginx, got 'envoy'",
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
