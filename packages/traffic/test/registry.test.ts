import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@recsys-actions/core';
import { createRouter, parseRouterConfig, routerTypes } from '../src/index';

describe('parseRouterConfig', () => {
  it('fills defaults for each router', () => {
    expect(parseRouterConfig('file', undefined)).toEqual({
      type: 'file',
      path: 'traffic/{environment}.json',
    });
    expect(
      parseRouterConfig('nginx', { path: 'nginx/traffic.conf', servers: { v1: ['127.0.0.1:8081'] } }),
    ).toEqual({
      type: 'nginx',
      path: 'nginx/traffic.conf',
      upstream: 'recsys',
      servers: { v1: ['127.0.0.1:8081'] },
      userKey: '$http_x_user_id',
      probeListen: '127.0.0.1:8189',
      testCommand: ['nginx', '-t'],
      reloadCommand: ['nginx', '-s', 'reload'],
      reloadTimeoutMs: 10_000,
    });
    expect(routerTypes()).toEqual(
      expect.arrayContaining([
        'file',
        'nginx',
        'command',
        'gateway-api',
        'istio',
        'sagemaker',
        'lambda',
        'alb',
      ]),
    );
  });

  it('names the router and the unknown key', () => {
    const attempt = () => parseRouterConfig('nginx', { path: 'a.conf', servers: {}, upstreams: 'x' });
    expect(attempt).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        field: 'config',
        problem: "for router 'nginx' has an unknown key 'upstreams'",
        example: expect.stringContaining('servers: { v1:'),
      }),
    );
    expect(() => parseRouterConfig('file', { path: 'a.json', servers: {} })).toThrow(
      "config for router 'file' has an unknown key 'servers'",
    );
  });

  it('names the router and the invalid value', () => {
    expect(() =>
      parseRouterConfig('nginx', { path: 'a.conf', servers: { v1: ['127.0.0.1:8081; evil'] } }),
    ).toThrow("for router 'nginx' is invalid at servers.v1[0]: must be a plain host:port");
    expect(() => parseRouterConfig('nginx', { servers: {} })).toThrow(
      "for router 'nginx' is invalid at path:",
    );
    expect(() => parseRouterConfig('file', ['path'])).toThrow("for router 'file' must be a mapping");
    expect(() => parseRouterConfig('file', { type: 'nginx' })).toThrow("must not set 'type'");
  });

  it('lists the routers it knows when the type is unknown', () => {
    const attempt = () => parseRouterConfig('nope', {});
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      expect.objectContaining({
        field: 'type',
        problem: expect.stringMatching(/^must be one of file, nginx, .*got 'nope'$/),
      }),
    );
    expect(() => parseRouterConfig('toString', {})).toThrow("got 'toString'");
  });
});

describe('createRouter', () => {
  it('refuses environment names that would escape the traffic folder', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'traffic-registry-'));
    const open = () => createRouter(parseRouterConfig('file', {}), { environment: '../prod', workspace });
    expect(open).toThrow(ConfigError);
    expect(open).toThrow('environment must be a plain name of letters, digits');
  });
});
