import {
  choiceInput,
  durationInput,
  InputError,
  listInput,
  numberInput,
  optionalInput,
  readInputs,
  type InputReader,
  type InputSpec,
} from '@recsys-actions/core';
import { BANDS } from '@recsys-actions/insights';
import { environmentInput } from '@recsys-actions/release/inputs';
import type { LedgerSelection } from '@recsys-actions/release/ledger-backend';

/** How each input of deployment-report is read; `test/action-defaults.test.ts` holds their fallbacks to action.yml. */
export function inputSpecs() {
  return {
    environments: environmentsInput(),
    sinceMs: durationInput('since', 28 * 86_400_000, '28d'),
    until: optionalInput('until', '2026-03-29T00:00:00Z', parseTime),
    minBand: choiceInput('min-band', BANDS, 'low'),
    historySize: numberInput('history-size', {
      fallback: 20,
      min: 1,
      max: 200,
      integer: true,
      example: '20',
    }),
  };
}

/** The report's own inputs, checked before anything is loaded or read. */
export function readReportInputs(read: InputReader) {
  return readInputs(inputSpecs(), read);
}

/** The ledger to read, refused when it keeps no history; read by the ledger's backends, after the inputs above. */
export function checkReportLedger(ledger: LedgerSelection): LedgerSelection {
  if (ledger.backend === 'none') {
    throw new InputError(
      'ledger',
      "must be github or file: ledger 'none' keeps no history to report",
      'file',
    );
  }
  return ledger;
}

export type ReportInputs = ReturnType<typeof readReportInputs> & { ledger: LedgerSelection };

/** `2026-03-29T00:00:00Z` or `2026-03-29T02:00+02:00`: seconds and their fraction optional, the zone required. */
const ISO_TIME_WITH_ZONE =
  /^(\d{4})-(0[1-9]|1[0-2])-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

function parseTime(raw: string): Date {
  const match = ISO_TIME_WITH_ZONE.exec(raw);
  const [year, month, day] = (match?.slice(1, 4) ?? []).map(Number);
  // Day 0 of the next month is the last day of this one.
  const daysInMonth = new Date(Date.UTC(year ?? 0, month ?? 0, 0)).getUTCDate();
  if (!match || !day || day > daysInMonth)
    throw new InputError(
      'until',
      `must be an ISO 8601 time with a zone, got '${raw}'`,
      '2026-03-29T00:00:00Z',
    );
  return new Date(raw);
}

function environmentsInput(): InputSpec<string[]> {
  const list = listInput('environment', 'production, staging', ['production']);
  return {
    ...list,
    parse(raw) {
      const names = list.parse(raw);
      if (names.length === 0) throw new InputError('environment', 'is required', 'production');
      return [...new Set(names.map((name) => environmentInput().parse(name)))];
    },
  };
}
