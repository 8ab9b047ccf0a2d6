import { ConfigError, UserFacingError } from '@recsys-actions/core';
import {
  configureMetricSource,
  metricSourceTypes,
  type SourceCredentials,
  renderTemplate,
  validateTemplate,
  windowDuration,
} from '../src/index';

const values = { version: 'v2.1', role: 'canary', interval: '300s', environment: 'prod' };

describe('query templates', () => {
  it('substitutes every placeholder, with or without inner spaces', () => {
    expect(
      renderTemplate(
        'sum(increase(requests_total{version="{{version}}",env="{{ environment }}",role="{{role}}"}[{{interval}}]))',
        values,
      ),
    ).toBe('sum(increase(requests_total{version="v2.1",env="prod",role="canary"}[300s]))');
  });

  it('rejects an unknown placeholder naming the check field and the defined ones', () => {
    const check = () => validateTemplate('rate(x{version="{{verison}}"}[5m])', 'checks[0].bad');
    expect(check).toThrow(ConfigError);
    expect(check).toThrow(
      'checks[0].bad uses the unknown placeholder {{verison}}; the defined placeholders are {{version}}, {{role}}, {{interval}}, {{environment}}',
    );
  });

  it('refuses values that would change the query', () => {
    expect(() =>
      renderTemplate('x{version="{{version}}"}', { ...values, version: 'v2"} or vector(1)' }),
    ).toThrow(UserFacingError);
  });

  it('writes the window length as a PromQL duration', () => {
    expect(windowDuration({ index: 0, startSeconds: 60, endSeconds: 360 })).toBe('300s');
    expect(windowDuration({ index: 0, startSeconds: 0, endSeconds: 1.5 })).toBe('1500ms');
  });
});

/** Configures `raw` as the canary-gate action does, with its `start` (when any) as the canary's start. */
function parseMetricSourceConfig(name: string, raw: Record<string, unknown>) {
  const { start, bearerToken, basicAuth, ...fields } = raw;
  const credentials = { bearerToken, basicAuth } as SourceCredentials;
  return configureMetricSource(fields, {
    name,
    workspace: process.cwd(),
    startSeconds: Number(start),
    credentials,
  });
}

describe('configureMetricSource', () => {
  it('applies defaults to a Prometheus config', () => {
    expect(
      parseMetricSourceConfig('metrics', {
        source: 'prometheus',
        address: 'https://mimir.example/prometheus',
        start: 1,
      }),
    ).toEqual({
      source: 'prometheus',
      address: 'https://mimir.example/prometheus',
      headers: {},
      timeoutSeconds: 30,
      start: 1,
    });
    expect(metricSourceTypes()).toEqual(['file', 'prometheus', 'cloudwatch', 'datadog']);
  });

  it.each([
    [
      { source: 'graphite' },
      "config needs 'source' set to one of file, prometheus, cloudwatch, datadog, got 'graphite'",
    ],
    [
      { address: 'http://p:9090' },
      "config needs 'source' set to one of file, prometheus, cloudwatch, datadog",
    ],
    [
      { source: 'prometheus', adress: 'http://p:9090', address: 'http://p:9090', start: 0 },
      /for source 'prometheus' is invalid: Unrecognized key: "adress"/,
    ],
    [
      { source: 'prometheus', address: 'prometheus:9090', start: 0 },
      "for source 'prometheus' is invalid at metrics.address: must be an http(s) URL such as http://prometheus.monitoring:9090",
    ],
    [
      { source: 'prometheus', address: 'ftp://p', start: 0 },
      'is invalid at metrics.address: must be an http(s) URL',
    ],
    [
      { source: 'prometheus', address: 'http://me:s3cret@p:9090', start: 0 },
      'is invalid at metrics.address: must not contain credentials; set basicAuth instead',
    ],
    [
      {
        source: 'prometheus',
        address: 'http://p',
        start: 0,
        bearerToken: 't',
        basicAuth: { username: 'u', password: 'p' },
      },
      'is invalid at metrics.basicAuth: set either bearerToken or basicAuth, not both',
    ],
    [{ source: 'file' }, /for source 'file' is invalid at metrics.path:/],
  ])('rejects %j', (raw, message) => {
    const parse = () => parseMetricSourceConfig('metrics', raw);
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(message);
  });

  it('never repeats a secret in its errors', () => {
    const parse = () =>
      parseMetricSourceConfig('metrics', {
        source: 'prometheus',
        address: 'http://p',
        start: 0,
        bearerToken: 'tok-123',
        basicAuth: { username: 'u', password: 'pw-456' },
      });
    expect(parse).toThrow(ConfigError);
    expect(parse).not.toThrow(/tok-123|pw-456/);
  });
});
