import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@recsys-actions/core';
import { readMetricsFile } from '../src/metrics-file';

describe('readMetricsFile', () => {
  const fileHolding = (text: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'metrics-file-')), 'metrics.json');
    writeFileSync(path, text);
    return path;
  };

  it('reads a flat object of metric values', () => {
    expect(readMetricsFile('metrics', fileHolding('{"ndcg@10": 0.45}'), 'm.json')).toEqual({
      'ndcg@10': 0.45,
    });
  });

  it('blames its own field, not an action input, for a non-numeric value', () => {
    const read = () => readMetricsFile('baseline', fileHolding('{"rmse": "low"}'), 'b.json');
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(`baseline file 'b.json' has a non-numeric value for 'rmse' ("low")`);
  });
});
