import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError } from '@recsys-actions/core';
import { canarySplit } from '@recsys-actions/traffic';
import { createFileLedger } from '../src/index';
import { canary, promoted, rolledBack, validated } from './events';

function setup() {
  const workspace = mkdtempSync(join(tmpdir(), 'ledger-file-'));
  const ledger = createFileLedger({ workspace, environment: 'production' });
  const file = join(workspace, '.recsys', 'ledger', 'production.jsonl');
  return { workspace, ledger, file };
}

describe('file ledger', () => {
  it('appends one JSON object per line to .recsys/ledger/<environment>.jsonl', async () => {
    const { ledger, file } = setup();
    const event = { ...canary('v2', 10), modelSha256: 'c'.repeat(64), split: canarySplit('v1', 'v2', 10) };
    await expect(ledger.record(event)).resolves.toEqual([]);
    await ledger.record(promoted('v2'));
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0] ?? '')).toEqual(event);
    expect(readdirSync(join(file, '..'))).toEqual(['production.jsonl']);
  });

  it('refuses to write an invalid event', async () => {
    const { ledger } = setup();
    await expect(ledger.record({ ...validated('v1'), timestamp: 'yesterday' })).rejects.toThrow();
  });

  it('ignores an incomplete last line with a warning and cuts it off before the next append', async () => {
    const { ledger, file } = setup();
    await ledger.record(validated('v1'));
    appendFileSync(file, '{"type":"promoted","vers');
    const read = await ledger.history();
    expect(read.events.map((event) => event.type)).toEqual(['validated']);
    expect(read.warnings).toEqual([
      '.recsys/ledger/production.jsonl: ignored an incomplete last line (24 bytes) left by an interrupted write',
    ]);

    await expect(ledger.record(promoted('v1'))).resolves.toEqual([
      '.recsys/ledger/production.jsonl: removed an incomplete last line (24 bytes) left by an interrupted write before appending',
    ]);
    await expect(ledger.history()).resolves.toMatchObject({
      warnings: [],
      events: [{ type: 'validated' }, { type: 'promoted' }],
    });
  });

  it('copes with a file that holds nothing but a torn first line', async () => {
    const { ledger, file } = setup();
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, '{"type":');
    await expect(ledger.history()).resolves.toMatchObject({
      events: [],
      warnings: [expect.stringContaining('8 bytes')],
    });
    await ledger.record(validated('v1'));
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(2);
  });

  it('reports a damaged line in the middle as a data error with its line number', async () => {
    const { ledger, file } = setup();
    await ledger.record(validated('v1'));
    appendFileSync(file, 'not json\n');
    await ledger.record(promoted('v1'));
    await expect(ledger.history()).rejects.toThrow(DataError);
    await expect(ledger.history()).rejects.toThrow(
      '.recsys/ledger/production.jsonl (line 2): is not valid JSON',
    );
    writeFileSync(file, `${JSON.stringify({ ...validated('v1'), type: 'deployed' })}\n`);
    await expect(ledger.history()).rejects.toThrow('(line 1): is not a ledger event: is invalid at type:');
  });

  it('keeps every event when many runs append at once', async () => {
    const { ledger } = setup();
    const events = Array.from({ length: 25 }, (_, index) => rolledBack(`v${index}`, `reason ${index}`));
    await Promise.all(events.map((event) => ledger.record(event)));
    const { events: read } = await ledger.history();
    expect(read).toHaveLength(25);
    expect(new Set(read.map((event) => event.version))).toEqual(
      new Set(events.map((event) => event.version)),
    );
  });

  it('keeps the ledger inside the workspace, blaming its own path field', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'ledger-file-'));
    const open = () => createFileLedger({ workspace, environment: 'production', path: '../ledger.jsonl' });
    expect(open).toThrow(ConfigError);
    expect(open).toThrow("path points outside the workspace ('../ledger.jsonl')");
  });

  it('refuses an environment name that would escape the ledger folder, blaming the environment field', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'ledger-file-'));
    expect(() => createFileLedger({ workspace, environment: '../prod' })).toThrow(
      expect.objectContaining({ name: 'ConfigError', field: 'environment' }),
    );
  });
});
