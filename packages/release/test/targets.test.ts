import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRouterConfig } from '@recsys-actions/traffic';
import { ConfigError, UserFacingError } from '@recsys-actions/core';
import { environmentInput, openReleaseTargets, withRouterInputNames } from '../src/index';

describe('openReleaseTargets', () => {
  it('names the router-config input when the router refuses its path on opening', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'release-targets-'));
    const inputs = {
      environment: 'production',
      router: parseRouterConfig('file', { path: '../elsewhere.json' }),
      ledger: { backend: 'none' },
    };
    expect(() => openReleaseTargets(inputs, { workspace }, () => undefined as never)).toThrow(
      "Input 'router-config' for router 'file' points outside the workspace ('../elsewhere.json'). " +
        'Example: router-config: { path: traffic/production.json }',
    );
  });

  it('names the ledger-path input when the file ledger refuses its path on opening', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'release-targets-'));
    const inputs = {
      environment: 'production',
      router: parseRouterConfig('file', {}),
      ledger: { backend: 'file', path: '../deploys.jsonl' },
    };
    expect(() => openReleaseTargets(inputs, { workspace }, () => undefined as never)).toThrow(
      "Input 'ledger-path' points outside the workspace ('../deploys.jsonl'). Example: ledger-path: .recsys/ledger/production.jsonl",
    );
  });
});

describe('environmentInput', () => {
  it('names the environment input when the name is not plain', () => {
    expect(() => environmentInput().parse('../prod')).toThrow(
      'Input \'environment\' must be a plain name of letters, digits, ".", "_" or "-", got \'../prod\'. ' +
        'Example: environment: production',
    );
  });
});

describe('withRouterInputNames', () => {
  it("names the router's config field as router-config in faults found while applying", async () => {
    const step = () =>
      Promise.reject(new ConfigError('config', "for router 'nginx' has no servers for version 'v2'"));
    await expect(withRouterInputNames(step)).rejects.toThrow(
      new UserFacingError("router-config for router 'nginx' has no servers for version 'v2'"),
    );
  });

  it('passes other errors through unchanged', async () => {
    const fault = new ConfigError('environment', 'is odd');
    await expect(withRouterInputNames(() => Promise.reject(fault))).rejects.toBe(fault);
  });
});
