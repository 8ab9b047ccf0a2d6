import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@recsys-actions/core';
import { EMPTY_RELEASE_STATE, registerLedgerBackend } from '@recsys-actions/ledger';
import { allTrafficTo } from '@recsys-actions/traffic';
import { openLedger, readLedgerSelection } from '../src/index';

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

describe('readLedgerSelection', () => {
  it.each([
    [{ ledger: 'auto', token: 'ghs_x' }, 'github'],
    [{ ledger: 'auto' }, 'file'],
    [{}, 'file'],
    [{ ledger: 'file', token: 'ghs_x' }, 'file'],
    [{ ledger: 'none', token: 'ghs_x' }, 'none'],
    [{ ledger: 'github', token: 'ghs_x' }, 'github'],
  ])('resolves %j to %s', (inputs, backend) => {
    expect(readLedgerSelection(reader(inputs)).backend).toBe(backend);
  });

  it('names the token when github has none', () => {
    expect(() => readLedgerSelection(reader({ ledger: 'github' }))).toThrow(
      new InputError(
        'token',
        "is required with ledger 'github': a token with deployments: write",
        '${{ github.token }}',
      ),
    );
  });

  it('refuses a ledger-path that would be ignored', () => {
    expect(() => readLedgerSelection(reader({ token: 't', 'ledger-path': 'l.jsonl' }))).toThrow(
      "Input 'ledger-path' only applies to ledger 'file', but ledger 'auto' resolves to 'github' here",
    );
  });
});

describe('openLedger', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'release-ledger-'));
  const context = {
    environment: 'production',
    workspace,
    ref: 'ffac537e6cbbf934b08745a378932722df287a53',
    deployments: () => {
      throw new Error('the github backend was not asked for');
    },
  };

  it('records nothing and knows nothing with ledger none', async () => {
    const ledger = openLedger({ backend: 'none' }, context);
    const intent = {
      type: 'intent' as const,
      key: 'k',
      step: 'shift' as const,
      version: 'v2',
      from: null,
      to: allTrafficTo('v2'),
      before: EMPTY_RELEASE_STATE,
      actor: 'a',
      timestamp: '2026-03-01T09:00:00Z',
    };
    const step = await ledger.begin(intent);
    await ledger.finish(step, {
      type: 'outcome',
      key: 'k',
      result: 'applied',
      actor: 'a',
      timestamp: intent.timestamp,
    });
    await expect(ledger.read('k')).resolves.toEqual({ state: EMPTY_RELEASE_STATE, warnings: [] });
    expect(ledger.keepsJournal).toBe(false);
  });

  it('puts the file ledger at ledger-path', () => {
    expect(openLedger({ backend: 'file', path: 'ops/{environment}.jsonl' }, context).description).toBe(
      'file ops/production.jsonl',
    );
  });

  it('needs the run commit for the github ledger', () => {
    expect(() => openLedger({ backend: 'github', token: 't' }, { ...context, ref: undefined })).toThrow(
      'GITHUB_SHA',
    );
  });
});

describe('a registered ledger backend', () => {
  registerLedgerBackend({
    type: 'memory',
    settings: ['token'],
    check: () => {},
    credentials: ({ token }) => (token ? [token] : []),
    open: (_settings, { environment }) => ({
      description: `memory ${environment}`,
      keepsJournal: false,
      read: async () => ({ state: EMPTY_RELEASE_STATE, warnings: [] }),
      begin: async (intent) => ({ ref: 'memory', intent }),
      finish: async () => [],
      history: async () => ({ exists: false, steps: [], warnings: [] }),
    }),
  });

  it('is chosen by the ledger input and opened without release code knowing it', () => {
    const selection = readLedgerSelection(reader({ ledger: 'memory', token: 't' }));
    expect(selection).toEqual({ backend: 'memory', path: undefined, token: 't' });
    const context = { environment: 'production', workspace: '/ws', deployments: () => undefined as never };
    expect(openLedger(selection, context).description).toBe('memory production');
  });

  it('refuses ledger-path, naming the ledgers that take one', () => {
    expect(() => readLedgerSelection(reader({ ledger: 'memory', 'ledger-path': 'l.jsonl' }))).toThrow(
      "Input 'ledger-path' only applies to ledger 'file', but ledger 'memory' resolves to 'memory' here",
    );
  });
});
