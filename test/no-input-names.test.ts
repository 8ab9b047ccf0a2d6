import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * Issue 11, item 6: domain packages name their own fields; only the input readers (the actions, slack's and
 * release's inputs) know which action input a value came from. This test keeps the packages below them so.
 */
const DOMAIN_PACKAGES = [
  'traffic',
  'ledger',
  'telemetry',
  'canary',
  'drift',
  'data',
  'stats',
  'recsys-eval',
  'quality-gate',
  'insights',
];

function actionInputNames(): string[] {
  const names = readdirSync('actions', { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'runtime')
    .flatMap((entry) => {
      const spec = parse(readFileSync(join('actions', entry.name, 'action.yml'), 'utf8')) as {
        inputs?: Record<string, unknown>;
      };
      return Object.keys(spec.inputs ?? {});
    });
  return [...new Set(names)];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

const domainFiles = DOMAIN_PACKAGES.flatMap((name) => sourceFiles(join('packages', name, 'src'))).map(
  (file) => ({
    file: file.replace(/^packages\//, ''),
    text: readFileSync(file, 'utf8'),
  }),
);

/** The string literal an Error, UserFacingError or DataError is built with, e.g. `new DataError('checks', …`. */
const ERROR_FIRST_ARGUMENT = /new (?:Error|UserFacingError|DataError)\(\s*(['"`])([^'"`$]*)\1?/g;

/**
 * Whether a message names an input: it is the input's name itself, or it starts with a hyphenated input name
 * (`router-config for router …`). Plain words (`path`, `source`) count only as the whole literal, so prose such
 * as "source answered …" is not mistaken for an input.
 */
function namedInput(literal: string, inputs: string[]): string | undefined {
  return inputs.find(
    (input) => literal === input || (input.includes('-') && new RegExp(`^${input}(?![\\w-])`).test(literal)),
  );
}

describe('domain packages', () => {
  it('finds the inputs of every action and the sources of every domain package', () => {
    const inputs = actionInputNames();
    expect(inputs).toEqual(expect.arrayContaining(['router-config', 'ledger-path', 'environment', 'checks']));
    expect(domainFiles.map(({ file }) => file)).toEqual(
      expect.arrayContaining(['traffic/src/environment.ts', 'quality-gate/src/metrics-file.ts']),
    );
  });

  it('throw no InputError: they name their own fields in a ConfigError', () => {
    const throwing = domainFiles.filter(({ text }) => text.includes('InputError(')).map(({ file }) => file);
    expect(throwing).toEqual([]);
  });

  it('start no error message with an action input name', () => {
    const inputs = actionInputNames();
    const found = domainFiles.flatMap(({ file, text }) =>
      [...text.matchAll(ERROR_FIRST_ARGUMENT)].flatMap((match) => {
        const input = namedInput(match[2] ?? '', inputs);
        return input === undefined ? [] : [`${file}: ${input}`];
      }),
    );
    expect(found).toEqual([]);
  });

  it('would catch a message that names an input', () => {
    const inputs = actionInputNames();
    const sample = "throw new UserFacingError(`router-config for router 'nginx' has no servers`);";
    const [match] = [...sample.matchAll(ERROR_FIRST_ARGUMENT)];
    expect(namedInput(match?.[2] ?? '', inputs)).toBe('router-config');
    expect(namedInput('path', inputs)).toBeUndefined();
    expect(namedInput('sourced from', inputs)).toBeUndefined();
  });
});
