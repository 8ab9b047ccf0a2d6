import { readFileSync } from 'node:fs';
import { compareProfiles } from '../src/detect';
import { deserializeProfile, serializeProfile } from '../src/serialize';

/** The JSON example of the README's "Profile format" section, as a warehouse job would write it. */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = /### Profile format[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
const bytes = (text: string) => new TextEncoder().encode(text);

describe('the documented profile format', () => {
  it('reads the README example and judges it from its quantiles', () => {
    const profile = deserializeProfile(bytes(example), 'warehouse.json');
    expect(profile.rows).toBe(12_000_000);
    const age = profile.columns[0];
    expect(age?.type === 'numeric' && age.sketch?.count).toBe(11_990_000);
    const result = compareProfiles(profile, profile, {});
    expect(result.columns.map((column) => [column.column, column.method, column.drifted])).toEqual([
      ['age', 'wasserstein', false],
      ['genre', 'jensenshannon', false],
    ]);
    // Five quantiles: the CDF is off by a quarter on each side.
    expect(result.columns[0]?.sketch?.epsilon).toBeCloseTo(0.5, 12);
    // It survives a round trip in the sketch-free form this package writes.
    expect(deserializeProfile(serializeProfile(profile)).columns).toHaveLength(2);
  });

  it('names the file and field of what it cannot read', () => {
    const json = JSON.parse(example) as { columns: Record<string, unknown>[]; version: number };
    const broken = (change: (copy: typeof json) => void) => {
      const copy = structuredClone(json);
      change(copy);
      return () => deserializeProfile(bytes(JSON.stringify(copy)), 'warehouse.json');
    };
    expect(broken((copy) => (copy.version = 3))).toThrow(/^warehouse\.json: field 'version' is 3/);
    expect(broken((copy) => delete copy.columns[0]?.m2)).toThrow(
      /field 'columns\.0' \(column 'age'\) needs sum and m2/,
    );
    expect(broken((copy) => ((copy.columns[1] as { counts: number[] }).counts = [1]))).toThrow(
      /field 'columns\.1\.counts' \(column 'genre'\) has 1 counts for 2 categories/,
    );
    expect(
      broken(
        (copy) => ((copy.columns[0] as { quantiles: object }).quantiles = { values: [3, 1], epsilon: 0 }),
      ),
    ).toThrow(
      /field 'columns\.0\.quantiles\.values' \(column 'age'\) must hold at least 2 quantiles in ascending order/,
    );
    expect(broken((copy) => ((copy.columns[0] as { type: string }).type = 'text'))).toThrow(
      /^warehouse\.json: field 'columns\.0\.type'/,
    );
  });
});
