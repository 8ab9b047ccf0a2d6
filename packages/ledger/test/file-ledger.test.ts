import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError } from '@recsys-actions/core';
import { allTrafficTo, canarySplit } from '@recsys-actions/traffic';
import { createFileLedger } from '../src/index';
import { canary, promoted, validated } from './events';
import { intent, outcome, takeStep, CANARY_OF_V2_STATE } from './steps';

function setup() {
  const workspace = mkdtempSync(join(tmpdir(), 'ledger-file-'));
  const ledger = createFileLedger({ workspace, environment: 'production' });
  const file = join(workspace, '.recsys', 'ledger', 'production.jsonl');
  return { workspace, ledger, file };
}

const firstRelease = () =>
  intent({ key: 'run 1 shift v1', version: 'v1', from: null, to: allTrafficTo('v1') });
const lines = (file: string) => readFileSync(file, 'utf8').split('\n');

describe('file ledger', () => {
  it('appends one JSON object per line to .recsys/ledger/<environment>.jsonl', async () => {
    const { ledger, file } = setup();
    const recorded = { ...firstRelease(), modelSha256: 'c'.repeat(64), commitSha: 'a'.repeat(40) };
    const step = await ledger.begin(recorded);
    const finished = outcome('run 1 shift v1', 'applied', 'the router serves v1');
    await expect(ledger.finish(step, finished)).resolves.toEqual([]);
    const written = lines(file);
    expect(written).toHaveLength(3);
    expect(written[2]).toBe('');
    expect(JSON.parse(written[0] ?? '')).toEqual(recorded);
    expect(JSON.parse(written[1] ?? '')).toEqual(finished);
    expect(readdirSync(join(file, '..'))).toEqual(['production.jsonl']);
  });

  it('refuses to write an invalid entry, and leaves the file as it was', async () => {
    const { ledger, file } = setup();
    const step = await ledger.begin(firstRelease());
    await expect(ledger.begin({ ...firstRelease(), timestamp: 'yesterday' })).rejects.toThrow();
    await expect(ledger.finish(step, { ...outcome('run 1 shift v1', 'applied'), key: '' })).rejects.toThrow();
    expect(lines(file)).toHaveLength(2);
  });

  it('ignores an incomplete last line with a warning and cuts it off before the next append', async () => {
    const { ledger, file } = setup();
    const step = await ledger.begin(firstRelease());
    appendFileSync(file, '{"type":"outcome","ke');
    const read = await ledger.read('run 1 shift v1');
    expect(read.own?.outcome).toBeUndefined();
    expect(read.warnings).toEqual([
      '.recsys/ledger/production.jsonl: ignored an incomplete last line (21 bytes) left by an interrupted write',
    ]);

    await expect(ledger.finish(step, outcome('run 1 shift v1', 'applied'))).resolves.toEqual([
      '.recsys/ledger/production.jsonl: removed an incomplete last line (21 bytes) left by an interrupted write before appending',
    ]);
    const after = await ledger.read('run 1 shift v1');
    expect(after.warnings).toEqual([]);
    expect(after.own?.outcome?.result).toBe('applied');
    expect(after.state.live).toBe('v1');
  });

  it('copes with a file that holds nothing but a torn first line', async () => {
    const { ledger, file } = setup();
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, '{"type":');
    await expect(ledger.read('k')).resolves.toMatchObject({
      warnings: [expect.stringContaining('8 bytes')],
    });
    expect((await ledger.read('k')).newest).toBeUndefined();
    await ledger.begin(firstRelease());
    expect(lines(file)).toHaveLength(2);
  });

  it('reports a damaged line in the middle as a data error with its line number', async () => {
    const { ledger, file } = setup();
    const step = await ledger.begin(firstRelease());
    appendFileSync(file, 'not json\n');
    await ledger.finish(step, outcome('run 1 shift v1', 'applied'));
    await expect(ledger.read('k')).rejects.toThrow(DataError);
    await expect(ledger.read('k')).rejects.toThrow(
      '.recsys/ledger/production.jsonl (line 2): is not valid JSON',
    );

    writeFileSync(
      file,
      `${JSON.stringify(firstRelease())}\n${JSON.stringify({ ...validated('v1'), type: 'deployed' })}\n`,
    );
    await expect(ledger.read('k')).rejects.toThrow('(line 2): is not a journal entry: is invalid at type:');
  });

  it('keeps every entry when many runs append at once', async () => {
    const { ledger } = setup();
    const intents = Array.from({ length: 25 }, (_, index) =>
      intent({
        key: `run ${index} shift v${index}`,
        version: `v${index}`,
        from: null,
        to: allTrafficTo(`v${index}`),
      }),
    );
    const steps = await Promise.all(intents.map((recorded) => ledger.begin(recorded)));
    await Promise.all(steps.map((step) => ledger.finish(step, outcome(step.intent.key, 'failed'))));
    for (const recorded of intents) {
      const { own } = await ledger.read(recorded.key);
      expect(own?.intent).toEqual(recorded);
      expect(own?.outcome?.result).toBe('failed');
    }
  });

  it('reads the plain history written before the journal as the state its first step starts from', async () => {
    const { ledger, file } = setup();
    mkdirSync(join(file, '..'), { recursive: true });
    const history = [
      validated('v1'),
      promoted('v1'),
      { ...canary('v2', 10), split: canarySplit('v1', 'v2', 10) },
    ];
    writeFileSync(file, history.map((event) => `${JSON.stringify(event)}\n`).join(''));
    const legacy = CANARY_OF_V2_STATE;
    await expect(ledger.read('k')).resolves.toEqual({ state: legacy, warnings: [] });

    // A step that did not take effect leaves the history's state; one that did carries it forward.
    const promotion = {
      version: 'v2',
      from: canarySplit('v1', 'v2', 10),
      to: allTrafficTo('v2'),
      stable: 'v1',
    };
    await takeStep(ledger, { ...promotion, key: 'run 5 promote v2' }, 'failed');
    expect((await ledger.read('k')).state).toEqual(legacy);
    const carried = await takeStep(ledger, { ...promotion, key: 'run 6 promote v2' });
    expect(carried.before).toEqual(legacy);
    expect((await ledger.read('k')).state).toEqual({
      live: 'v2',
      split: allTrafficTo('v2'),
      fullyLive: ['v1', 'v2'],
      rolledBack: [],
      seen: ['v1', 'v2'],
    });
  });

  it('keeps the ledger inside the workspace, blaming its own path field', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'ledger-file-'));
    const open = () => createFileLedger({ workspace, environment: 'production', path: '../ledger.jsonl' });
    expect(open).toThrow(ConfigError);
    expect(open).toThrow("path points outside the workspace ('../ledger.jsonl')");
  });

  it('refuses a ledger path that is a directory when opening, not when the first write hits EISDIR', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'ledger-file-'));
    mkdirSync(join(workspace, 'ledger'));
    const open = () => createFileLedger({ workspace, environment: 'production', path: 'ledger' });
    expect(open).toThrow(ConfigError);
    expect(open).toThrow("path names a directory, expected a file to write ('ledger')");
  });

  it('refuses an environment name that would escape the ledger folder, blaming the environment field', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'ledger-file-'));
    expect(() => createFileLedger({ workspace, environment: '../prod' })).toThrow(
      expect.objectContaining({ name: 'ConfigError', field: 'environment' }),
    );
  });
});
