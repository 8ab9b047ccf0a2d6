import { ConfigError, UserFacingError } from '@recsys-actions/core';
import { createFileLedger } from './file-ledger';
import { createGitHubLedger, type DeploymentsApi } from './github-ledger';
import type { Ledger } from './ledger';
import { EMPTY_RELEASE_STATE } from './state';

/** What a step may configure about its ledger; each backend uses the settings it names. */
export interface LedgerSettings {
  /** Where the history lives, for backends that keep it in a file. */
  path?: string;
  token?: string;
}

export interface LedgerOpenContext {
  environment: string;
  workspace: string;
  /** The run's commit (GITHUB_SHA): what new GitHub deployments point at. */
  ref?: string;
  /** The Deployments API of the run's repository, authenticated with the given token. */
  deployments(token: string): DeploymentsApi;
}

/** One ledger backend: the settings it uses, how it checks them, which are secrets, and how it opens. */
export interface LedgerBackend {
  readonly type: string;
  readonly settings: readonly (keyof LedgerSettings)[];
  /** Throws ConfigError (field 'config', naming the setting in its problem) for settings it cannot work with. */
  check(settings: LedgerSettings): void;
  credentials(settings: LedgerSettings): string[];
  open(settings: LedgerSettings, context: LedgerOpenContext): Ledger;
}

/** A ConfigError about one setting, so the caller can name the input that carried it. */
export class LedgerSettingError extends ConfigError {
  constructor(
    readonly setting: keyof LedgerSettings,
    problem: string,
    example?: string,
  ) {
    super('config', problem, example);
  }
}

/**
 * With ledger `none` there is no journal: nothing is recorded and every read is empty, so callers treat every
 * backend alike. Steps then rely on the observed split and from-version alone.
 */
const NO_LEDGER: Ledger = {
  description: 'none (no journal is kept)',
  keepsJournal: false,
  read: async () => ({ state: EMPTY_RELEASE_STATE, warnings: [] }),
  begin: async (intent) => ({ ref: 'none', intent }),
  finish: async () => [],
  history: async () => ({ exists: false, steps: [], warnings: [] }),
};

const builtIn: LedgerBackend[] = [
  {
    type: 'github',
    settings: ['token'],
    check({ token }) {
      if (!token) {
        throw new LedgerSettingError(
          'token',
          "is required with ledger 'github': a token with deployments: write",
          '${{ github.token }}',
        );
      }
    },
    credentials: ({ token }) => (token ? [token] : []),
    open(settings, context) {
      if (!context.ref) {
        throw new UserFacingError(
          "The github ledger needs the run's commit (GITHUB_SHA) for new deployments, but it is not set.",
        );
      }
      const { environment, ref } = context;
      return createGitHubLedger({ api: context.deployments(settings.token ?? ''), environment, ref });
    },
  },
  {
    type: 'file',
    settings: ['path'],
    check: () => {},
    credentials: () => [],
    open: ({ path }, { workspace, environment }) => createFileLedger({ workspace, environment, path }),
  },
  { type: 'none', settings: [], check: () => {}, credentials: () => [], open: () => NO_LEDGER },
];

const backends = new Map(builtIn.map((backend) => [backend.type, backend]));

export function registerLedgerBackend(backend: LedgerBackend): void {
  if (backends.has(backend.type)) throw new Error(`Ledger '${backend.type}' is already registered`);
  backends.set(backend.type, backend);
}

/** The registered ledger types: github, file, none, then any registered later. */
export function ledgerTypes(): string[] {
  return [...backends.keys()];
}

/** The backend registered as `type`; a programming error when there is none (inputs are checked first). */
export function ledgerBackend(type: string): LedgerBackend {
  const backend = backends.get(type);
  if (!backend) throw new Error(`Ledger '${type}' is not registered`);
  return backend;
}

/** `auto`: the GitHub Deployments history when a token can write it, else the file in the repository. */
export function automaticLedgerType(settings: LedgerSettings): string {
  return settings.token ? 'github' : 'file';
}
