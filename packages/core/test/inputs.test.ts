import { mkdtempSync, writeFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { z } from 'zod';
import {
  booleanInput,
  choiceInput,
  commentWanted,
  durationInput,
  InputError,
  listInput,
  numberInput,
  optionalInput,
  PULL_REQUEST_EVENTS,
  readInputs,
  resolveWorkspacePath,
  yamlInput,
} from '../src/index';

const workspace = mkdtempSync(join(tmpdir(), 'core-inputs-'));

function reader(values: Record<string, string>) {
  return (name: string) => values[name] ?? '';
}

describe('readInputs', () => {
  it('parses typed values and applies fallbacks', () => {
    const inputs = readInputs(
      {
        comment: booleanInput('comment', true),
        alpha: numberInput('alpha', { fallback: 0.05, exclusiveMin: 0, max: 0.5, example: '0.05' }),
        analysis: choiceInput('analysis', ['sequential', 'threshold'] as const, 'sequential'),
        interval: durationInput('interval', 60_000),
        k: listInput('k', '5,10'),
      },
      reader({ comment: 'False', alpha: '0.1', interval: '15m', k: '5, 10\n20' }),
    );
    expect(inputs).toEqual({
      comment: false,
      alpha: 0.1,
      analysis: 'sequential',
      interval: 900_000,
      k: ['5', '10', '20'],
    });
  });

  it('names the input, the problem and an example', () => {
    const alpha = numberInput('alpha', { exclusiveMin: 0, max: 0.5, example: '0.05' });
    expect(() => alpha.parse('0.7')).toThrow(
      "Input 'alpha' must be at most 0.5, got '0.7'. Example: alpha: 0.05",
    );
    expect(() => alpha.parse('zero')).toThrow(InputError);
    expect(() => booleanInput('comment', true).parse('yes')).toThrow("Input 'comment' must be true or false");
    expect(() => choiceInput('router', ['file', 'nginx'] as const).parse('k8s')).toThrow(
      "Input 'router' must be one of file, nginx, got 'k8s'. Example: router: file",
    );
    expect(() => durationInput('interval', 1).parse('soon')).toThrow('must be a duration');
  });
});

describe('yamlInput', () => {
  const schema = z.record(z.string(), z.object({ min: z.number().optional() }).strict());

  it('accepts inline YAML and a file path inside the workspace', () => {
    writeFileSync(join(workspace, 'rules.yml'), 'ndcg@10:\n  min: 0.42\n');
    const spec = yamlInput('thresholds', schema, { example: 'ndcg@10: {min: 0.42}', workspace });
    expect(spec.parse('rmse: {min: 1}')).toEqual({ rmse: { min: 1 } });
    expect(spec.parse('rules.yml')).toEqual({ 'ndcg@10': { min: 0.42 } });
  });

  it('reports invalid YAML and schema errors with the key path', () => {
    const spec = yamlInput('thresholds', schema, { example: 'ndcg@10: {min: 0.42}', workspace });
    expect(() => spec.parse('a: [1,')).toThrow(/Input 'thresholds' is not valid YAML/);
    expect(() => spec.parse('ndcg@10: {min: high}')).toThrow(
      /Input 'thresholds' is invalid at thresholds.ndcg@10.min/,
    );
  });
});

describe('resolveWorkspacePath', () => {
  it('keeps paths inside the workspace, following symlinks', () => {
    mkdirSync(join(workspace, 'data'), { recursive: true });
    symlinkSync(tmpdir(), join(workspace, 'escape'));
    expect(resolveWorkspacePath('metrics', 'data/m.json', workspace)).toBe(join(workspace, 'data/m.json'));
    expect(() => resolveWorkspacePath('metrics', '../etc/passwd', workspace)).toThrow(
      "Input 'metrics' points outside the workspace",
    );
    expect(() => resolveWorkspacePath('metrics', '/etc/passwd', workspace)).toThrow(InputError);
    expect(() => resolveWorkspacePath('metrics', 'escape/x.json', workspace)).toThrow(InputError);
  });

  it('keeps a name inside the workspace that only begins with two dots', () => {
    expect(resolveWorkspacePath('metrics', '..cache/x', workspace)).toBe(join(workspace, '..cache/x'));
    expect(resolveWorkspacePath('metrics', 'data/..m.json', workspace)).toBe(
      join(workspace, 'data/..m.json'),
    );
    expect(() => resolveWorkspacePath('metrics', '..', workspace)).toThrow(InputError);
    expect(() => resolveWorkspacePath('metrics', '../..cache/x', workspace)).toThrow(InputError);
  });

  describe('through symbolic links', () => {
    const ws = mkdtempSync(join(tmpdir(), 'core-links-'));
    const outside = mkdtempSync(join(tmpdir(), 'core-outside-'));
    mkdirSync(join(ws, 'data'));
    const link = (target: string, name: string) => symlinkSync(target, join(ws, name));
    const refusal = (value: string) => `Input 'ledger' points outside the workspace ('${value}')`;
    const resolveIn = (value: string) => resolveWorkspacePath('ledger', value, ws, 'ledger.jsonl');

    it('refuses a dangling link that points outside, which a write would follow', () => {
      link(join(outside, 'x'), 'ledger.jsonl');
      expect(() => resolveIn('ledger.jsonl')).toThrow(refusal('ledger.jsonl'));
    });

    it('refuses a path below a linked folder outside, even where it does not exist yet', () => {
      link(outside, 'out');
      expect(() => resolveIn('out/new/ledger.jsonl')).toThrow(refusal('out/new/ledger.jsonl'));
    });

    it('follows a chain of links, relative ones from their own folder', () => {
      link('second', 'first');
      link('data/third', 'second');
      link(`../../${basename(outside)}/x`, 'data/third');
      expect(() => resolveIn('first')).toThrow(refusal('first'));
    });

    it('names a loop of links instead of hanging', () => {
      link('loop-b', 'loop-a');
      link('loop-a', 'loop-b');
      expect(() => resolveIn('loop-a/ledger.jsonl')).toThrow(
        "Input 'ledger' leads into a loop of symbolic links ('loop-a/ledger.jsonl'). Example: ledger: ledger.jsonl",
      );
    });

    it('accepts links, dangling or not, that stay inside', () => {
      link('data', 'current');
      link(join(ws, 'data', 'ledger.jsonl'), 'ledger-link');
      link('../data/x.json', 'data/up-and-back');
      expect(resolveIn('current/ledger.jsonl')).toBe(join(ws, 'current/ledger.jsonl'));
      expect(resolveIn('ledger-link')).toBe(join(ws, 'ledger-link'));
      expect(resolveIn('data/up-and-back')).toBe(join(ws, 'data/up-and-back'));
    });
  });
});

describe('optionalInput', () => {
  const sizeInput = optionalInput('max-size', '10', (raw) => {
    const value = Number(raw);
    if (!Number.isInteger(value))
      throw new InputError('max-size', `must be a whole number, got '${raw}'`, '10');
    return value;
  });

  it('reads an unset input as undefined without calling the parser', () => {
    expect(sizeInput.parse('')).toBeUndefined();
    expect(sizeInput).toMatchObject({ name: 'max-size', example: '10' });
  });

  it('parses a set input and keeps its errors', () => {
    expect(sizeInput.parse('12')).toBe(12);
    expect(() => sizeInput.parse('1.5')).toThrow("Input 'max-size' must be a whole number, got '1.5'");
  });
});

describe('commentWanted', () => {
  it('comments on pull-request events under auto, always under true, never under false', () => {
    expect(commentWanted('auto', 'pull_request')).toBe(true);
    expect(commentWanted('auto', 'pull_request_target')).toBe(true);
    expect(commentWanted('auto', 'push')).toBe(false);
    expect(commentWanted('auto', undefined)).toBe(false);
    expect(commentWanted('true', 'schedule')).toBe(true);
    expect(commentWanted('false', 'pull_request')).toBe(false);
  });

  it('lets an action widen the auto events', () => {
    expect(commentWanted('auto', 'push', [...PULL_REQUEST_EVENTS, 'push'])).toBe(true);
  });
});
