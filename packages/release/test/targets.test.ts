import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRouterConfig } from '@recsys-actions/traffic';
import { openReleaseTargets } from '../src/index';

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
});
