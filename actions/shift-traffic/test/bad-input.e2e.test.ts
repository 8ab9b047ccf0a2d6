import { existsSync } from 'node:fs';
import { expectCleanFailure, workspaceWith } from '@recsys-actions/testkit';
import { snapshot, step, trafficFile } from './helpers';

const NGINX = (path: string) =>
  `{ path: ${path}, servers: { v1: ["127.0.0.1:8081"], v2: ["127.0.0.1:8082"] } }`;

describe('shift-traffic bad input', () => {
  const valid = { 'stable-version': 'v1', 'canary-version': 'v2', 'canary-weight': '10' };
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'a weight above 100',
      { 'canary-weight': '101' },
      /^Input 'canary-weight' must be at most 100, got '101'. Example: canary-weight: 10$/,
    ],
    ['a negative weight', { 'canary-weight': '-5' }, /^Input 'canary-weight' must be at least 0, got '-5'/],
    ['a fractional weight', { 'canary-weight': '12.5' }, /^Input 'canary-weight' must be a whole number/],
    [
      'the same version as stable and canary',
      { 'canary-version': 'v1' },
      /^Input 'canary-version' must differ from stable-version \(both are 'v1'\). Example: canary-version: v1.5.0$/,
    ],
    [
      'a version with a space',
      { 'canary-version': 'v2 beta' },
      /^Input 'canary-version' must start with a letter or digit .*, got 'v2 beta'/,
    ],
    [
      'a version with a shell metacharacter',
      { 'canary-version': 'v2;touch pwned' },
      /^Input 'canary-version' must start with a letter or digit .*, got 'v2;touch pwned'/,
    ],
    [
      'a target-health-url without {version}',
      { 'target-health-url': 'http://recs.internal/healthz' },
      /^Input 'target-health-url' must contain \{version\}, where the version goes, got 'http:\/\/recs.internal\/healthz'. Example: target-health-url: http:\/\/recs-\{version\}.internal\/healthz$/,
    ],
    [
      'a health-url that is not http',
      { 'health-url': 'ftp://recs.internal/' },
      /^Input 'health-url' must be an http or https URL, got 'ftp:\/\/recs.internal\/'/,
    ],
    [
      'an unknown router',
      { router: 'istio' },
      /^Input 'router' must be one of file, nginx, .*sagemaker, lambda, alb.*, got 'istio'/,
    ],
    [
      'an unknown router-config key',
      { router: 'nginx', 'router-config': '{ path: x.conf, servers: {}, upstreams: [] }' },
      /^Input 'router-config' for router 'nginx' has an unknown key 'upstreams'/,
    ],
    [
      'router-config missing a server for a version',
      { router: 'nginx', 'router-config': '{ path: traffic.conf, servers: { v1: ["127.0.0.1:8081"] } }' },
      /^router-config for router 'nginx' has no servers for version 'v2' \(configured: v1\).*Nothing was changed\.$/,
    ],
    [
      'an nginx config path that is not writable',
      { router: 'nginx', 'router-config': NGINX('/nonexistent-recsys/traffic.conf') },
      /^router-config for router 'nginx': cannot write the traffic config \/nonexistent-recsys\/traffic.conf \(ENOENT/,
    ],
    [
      'a stickiness that does not exist',
      { stickiness: 'session' },
      /^Input 'stickiness' must be one of request, user, got 'session'/,
    ],
    [
      'a model-sha256 that is not one',
      { 'model-sha256': 'abc' },
      /^Input 'model-sha256' must be 64 hex digits/,
    ],
    ['an unknown ledger', { ledger: 'postgres' }, /^Input 'ledger' must be one of auto, github, file, none/],
    [
      'ledger github without a token',
      { ledger: 'github' },
      /^Input 'token' is required with ledger 'github': a token with deployments: write/,
    ],
  ];

  it.each(cases)('rejects %s with one clear error line and changes nothing', async (_, inputs, message) => {
    const workspace = workspaceWith({ 'traffic/production.json': trafficFile({ v1: 100 }) });
    const before = snapshot(workspace);
    const run = await step('shift-traffic', workspace, { ...valid, ...inputs });
    expect(expectCleanFailure(run)).toMatch(message);
    expect(snapshot(workspace)).toEqual(before);
    expect(run.outputs['report-path']).toBeUndefined();
    expect(existsSync('/nonexistent-recsys')).toBe(false);
  });
});
