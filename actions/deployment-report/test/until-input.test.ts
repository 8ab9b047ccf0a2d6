import { readInputs } from '@recsys-actions/core';
import { inputSpecs } from '../src/inputs';

// `until` is checked without zod (the step's first stage loads none), so its rule is spelled out here.
const until = (raw: string) => readInputs({ until: inputSpecs().until }, () => raw).until;

describe("deployment-report's until input", () => {
  it.each([
    ['2026-03-29T00:00:00Z', '2026-03-29T00:00:00.000Z'],
    ['2026-03-29T02:00+02:00', '2026-03-29T00:00:00.000Z'],
    ['2026-03-28T19:30:15.250-05:00', '2026-03-29T00:30:15.250Z'],
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
  ])('reads %s as %s', (raw, iso) => {
    expect(until(raw)?.toISOString()).toBe(iso);
  });

  it.each([
    'yesterday',
    '2026-03-29',
    '2026-03-29T00:00:00',
    '2026-03-29 00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-04-00T00:00:00Z',
    '2026-03-29T24:00:00Z',
    '2026-03-29T00:60:00Z',
    '2026-03-29T00:00:00+0200',
    '2026-03-29T00:00:00z',
  ])('refuses %s, naming the input', (raw) => {
    expect(() => until(raw)).toThrow(`Input 'until' must be an ISO 8601 time with a zone, got '${raw}'`);
  });
});
