import {
  choiceInput,
  InputError,
  optionalText,
  readInputs,
  withInputNames,
  type InputReader,
} from '@recsys-actions/core';
import {
  automaticLedgerType,
  DEFAULT_LEDGER_PATH,
  ledgerBackend,
  LedgerSettingError,
  ledgerTypes,
  type Ledger,
  type LedgerOpenContext,
  type LedgerSettings,
} from '@recsys-actions/ledger';

/** The `ledger` input with `auto` already decided, so every later step knows exactly where events go. */
export interface LedgerSelection extends LedgerSettings {
  backend: string;
}

/** Reads `ledger`, `ledger-path` and `token`; the ledger package decides what `auto` means. */
export function readLedgerSelection(read: InputReader): LedgerSelection {
  const inputs = readInputs(
    {
      choice: choiceInput('ledger', ['auto', ...ledgerTypes()], 'auto'),
      path: optionalText('ledger-path', DEFAULT_LEDGER_PATH),
      token: optionalText('token', '${{ github.token }}'),
    },
    read,
  );
  const settings = { path: inputs.path, token: inputs.token };
  const backend = inputs.choice === 'auto' ? automaticLedgerType(settings) : inputs.choice;
  try {
    ledgerBackend(backend).check(settings);
  } catch (error) {
    if (error instanceof LedgerSettingError) throw error.toInputError(SETTING_INPUTS[error.setting]);
    throw error;
  }
  if (inputs.path && !ledgerBackend(backend).settings.includes('path')) {
    const takingPath = ledgerTypes().filter((type) => ledgerBackend(type).settings.includes('path'));
    throw new InputError(
      'ledger-path',
      `only applies to ledger ${takingPath.map((type) => `'${type}'`).join(', ')}, but ledger '${inputs.choice}' ` +
        `resolves to '${backend}' here; set ledger: ${takingPath[0]}`,
      DEFAULT_LEDGER_PATH,
    );
  }
  return { backend, ...settings };
}

const SETTING_INPUTS: Record<keyof LedgerSettings, string> = { path: 'ledger-path', token: 'token' };
const LEDGER_FIELDS = { path: { input: SETTING_INPUTS.path }, environment: { input: 'environment' } };

export type LedgerContext = LedgerOpenContext;

/** A ledger finds some faults of its settings only when it opens (a file outside the workspace). */
export function openLedger(selection: LedgerSelection, context: LedgerContext): Ledger {
  return withInputNames(LEDGER_FIELDS, () => ledgerBackend(selection.backend).open(selection, context));
}
