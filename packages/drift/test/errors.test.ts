import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@recsys-actions/core';
import { detectDrift, profileDataset, validateDriftOptions, type DriftOptions } from '../src/index';

let directory: string;
const file = (name: string, content: string): string => {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
};
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'drift-errors-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('validateDriftOptions', () => {
  it.each<[DriftOptions, string]>([
    [{ method: 'median' as never }, "method names unknown method 'median'"],
    [
      { method: 'ks', threshold: 1.5 },
      'threshold must be a p-value between 0 and 1 (exclusive) for ks, not 1.5',
    ],
    [{ method: 'psi', threshold: -0.1 }, 'threshold must be a positive number, not -0.1'],
    [{ threshold: 0.2 }, 'threshold applies to one test, so it needs a method other than auto'],
    [{ sensitivity: 'extreme' as never }, "sensitivity must be low, medium or high, not 'extreme'"],
    [{ driftShare: 0 }, 'driftShare must be a share above 0 and at most 1, not 0'],
    [
      { perColumn: { age: { method: 'chisquare', threshold: 2 } } },
      "perColumn must be a p-value between 0 and 1 (exclusive) for chisquare for column 'age', not 2",
    ],
    [
      { perColumn: { age: { method: 'nope' as never } } },
      "perColumn names unknown method 'nope' for column 'age'",
    ],
    [{ criticalQuality: ['typo' as never] }, "criticalQuality names unknown finding 'typo'"],
  ])('rejects %j', (options, message) => {
    expect(() => validateDriftOptions(options)).toThrow(message);
  });

  it('throws a ConfigError naming the option and suggesting a value', () => {
    const error = (() => {
      try {
        validateDriftOptions({ driftShare: 0 });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ field: 'driftShare', example: '0.5' });
  });

  it('lists every valid method when one is unknown', () => {
    expect(() => validateDriftOptions({ method: 'chi2' as never })).toThrow(
      "method names unknown method 'chi2'; use auto, ks, chisquare, chisquare-contingency, ztest, psi, kl, jensenshannon, wasserstein, hellinger",
    );
  });

  it('accepts sensible options', () => {
    expect(() =>
      validateDriftOptions({
        method: 'wasserstein',
        threshold: 0.2,
        sensitivity: 'high',
        driftShare: 1,
        perColumn: { a: { threshold: 0.01 } },
      }),
    ).not.toThrow();
  });
});

describe('bad input', () => {
  const reference = () => profileDataset([file('reference.csv', 'age,genre\n30,drama\n41,comedy\n')], {});

  it('says the current file is empty', async () => {
    const empty = file('empty.csv', '');
    await expect(detectDrift(await reference(), [empty], {})).rejects.toThrow(
      `${empty}: is empty; expected a header row`,
    );
  });

  it('says the current files hold a header but no rows', async () => {
    const headerOnly = file('header.csv', 'age,genre\n');
    await expect(detectDrift(await reference(), [headerOnly], {})).rejects.toThrow(
      `${headerOnly}: has no data rows`,
    );
  });

  it('names a column the current data lacks', async () => {
    const current = file('lacking.csv', 'age\n30\n');
    await expect(detectDrift(await reference(), [current], {})).rejects.toThrow(
      `${current}: has no column 'genre', which the reference has and the check compares (its columns: age)`,
    );
  });

  it('names file, line and column when a numeric column holds text', async () => {
    const current = file('strings.csv', 'age,genre\nold,drama\nyoung,drama\n');
    await expect(detectDrift(await reference(), [current], {})).rejects.toThrow(
      `${current} (line 2, column 'age'): has 'old' where a number is required (e.g. 0.25)`,
    );
  });

  it('skips bad rows when asked and reports them', async () => {
    const current = file('some-bad.csv', 'age,genre\n35,drama\nold,drama\n28,comedy\n');
    const result = await detectDrift(await reference(), [current], { onBadRows: 'skip' });
    expect(result.rows).toEqual({ reference: 2, current: 2, skippedBadRows: 1 });
    expect(result.quality).toContainEqual({
      kind: 'bad-rows',
      severity: 'warning',
      message: `1 malformed rows were skipped; the first: ${current} (line 3, column 'age'): has 'old' where a number is required (e.g. 0.25)`,
    });
  });

  it('says a .parquet file is not Parquet', async () => {
    const fake = file('current.parquet', 'age,genre\n1,a\n');
    await expect(detectDrift(await reference(), [fake], {})).rejects.toThrow(
      `${fake}: is not a Parquet file`,
    );
  });

  it('names a glob that matches nothing', async () => {
    const pattern = join(directory, 'missing/*.parquet');
    await expect(detectDrift(await reference(), [pattern], {})).rejects.toThrow(
      `${pattern}: matches no file`,
    );
  });

  it('refuses a method set for a column that cannot take it, naming the column and what fits', async () => {
    const ks = detectDrift(await reference(), [file('cur.csv', 'age,genre\n35,drama\n')], {
      perColumn: { genre: { method: 'ks' } },
    });
    await expect(ks).rejects.toThrow(
      "perColumn sets ks for categorical column 'genre', but ks compares numbers; use chisquare, chisquare-contingency, ztest, psi, kl, jensenshannon or hellinger",
    );
    await expect(ks).rejects.toBeInstanceOf(ConfigError);
    const many = (offset: number) =>
      `age,genre\n${Array.from({ length: 600 }, (_, i) => `${i * 2 + offset},drama`).join('\n')}\n`;
    const wide = await profileDataset([file('wide-ref.csv', many(0))], {});
    const perColumn = { age: { method: 'chisquare' as const } };
    await expect(detectDrift(wide, [file('wide-cur.csv', many(1))], { perColumn })).rejects.toThrow(
      "perColumn sets chisquare for numeric column 'age', but chisquare counts each value and the column has more than 1000 distinct numbers; use ks, wasserstein, psi, kl, jensenshannon or hellinger",
    );
    // The global method skips the columns that cannot take it: age keeps its automatic test.
    const result = await detectDrift(wide, [file('wide-cur.csv', many(1))], { method: 'chisquare' });
    expect(result.columns.map((drift) => [drift.column, drift.method]).sort()).toEqual([
      ['age', 'ks'],
      ['genre', 'chisquare'],
    ]);
  });

  it('names a compared column the reference lacks', async () => {
    const current = file('ok.csv', 'age,genre\n30,drama\n');
    await expect(detectDrift(await reference(), [current], { columns: ['income'] })).rejects.toThrow(
      "columns names 'income', which the reference profile lacks (it has age, genre)",
    );
  });

  it('reports columns added to or gone from the current data', async () => {
    const current = file('changed.csv', 'age,genre,country\n30,drama,fr\n');
    const result = await detectDrift(await reference(), [current], {});
    expect(result.quality.filter((finding) => finding.kind === 'new-column')).toEqual([
      {
        kind: 'new-column',
        column: 'country',
        severity: 'warning',
        message: 'is in the current data but not in the reference',
      },
    ]);
    const partial = file('partial.csv', 'age\n30\n');
    const onlyAge = await detectDrift(await reference(), [partial], { columns: ['age'] });
    expect(onlyAge.quality.map((finding) => `${finding.kind}:${finding.column}`)).toContain(
      'missing-column:genre',
    );
  });
});

describe('a reference still being profiled while the current files are read', () => {
  const referenceFile = () => file('pending-reference.csv', 'age,genre\n30,drama\n41,comedy\n52,drama\n');

  it('decides exactly as with the reference profiled first', async () => {
    const current = file('pending-current.csv', 'age,genre,country\n33,drama,fr\n70,news,de\n');
    const known = await detectDrift(await profileDataset([referenceFile()], {}), [current], {});
    const pending = await detectDrift(profileDataset([referenceFile()], {}), [current], {});
    expect(pending).toEqual(known);
  });

  it("reads the current files again with the reference's types when their own differ", async () => {
    // Codes that look numeric in the current file, where the reference's are text.
    const reference = file('codes-reference.csv', 'zip,age\nA1,30\nB2,41\n');
    const current = file('codes-current.csv', 'zip,age\n75001,30\n10115,41\n');
    const result = await detectDrift(profileDataset([reference], {}), [current], {});
    expect(result.columns.find((column) => column.column === 'zip')).toMatchObject({ type: 'categorical' });
  });

  it("fails on text in a column the reference holds as numbers, as the reference's types require", async () => {
    const current = file('text-current.csv', 'age,genre\nthirty,drama\n41,comedy\n');
    await expect(detectDrift(profileDataset([referenceFile()], {}), [current], {})).rejects.toThrow(
      /text-current\.csv \(line 2, column 'age'\): has 'thirty' where a number is required/,
    );
  });

  it('reports a failing reference rather than leaving its rejection unhandled', async () => {
    const current = file('fine-current.csv', 'age,genre\n30,drama\n');
    await expect(
      detectDrift(profileDataset([file('empty-reference.csv', '')], {}), [current], {}),
    ).rejects.toThrow(/empty-reference\.csv.*empty/);
  });
});
