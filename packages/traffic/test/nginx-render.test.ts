import { UserFacingError } from '@recsys-actions/core';
import { canarySplit, renderNginxConfig, splitFromNginxConfig, splitSchema } from '../src/index';

const config = {
  upstream: 'recsys',
  servers: { 'v1.4.0': ['10.0.0.11:8080', '10.0.0.12:8080'], 'v1.5.0': ['10.0.0.21:8080'] },
  userKey: '$http_x_user_id',
  probeListen: '127.0.0.1:8189',
};

const serverLines = (text: string) => text.split('\n').filter((line) => line.startsWith('    server '));

describe('renderNginxConfig', () => {
  it('shares a version weight among its servers so the version totals keep the split', () => {
    const { text } = renderNginxConfig(canarySplit('v1.4.0', 'v1.5.0', 10), config);
    expect(serverLines(text)).toEqual([
      '    server 10.0.0.11:8080 weight=90;',
      '    server 10.0.0.12:8080 weight=90;',
      '    server 10.0.0.21:8080 weight=20;',
    ]);
    expect(text).toContain('map $host $recsys_upstream {\n    default recsys;\n}');
  });

  it('renders split_clients over per-version upstreams for user stickiness', () => {
    const { text } = renderNginxConfig(canarySplit('v1.4.0', 'v1.5.0', 10, 'user'), config);
    expect(text).toContain('upstream recsys__v1_5_0 {\n    server 10.0.0.21:8080;\n}');
    expect(text).toContain(
      'split_clients "$http_x_user_id" $recsys_upstream {\n    90% recsys__v1_4_0;\n    * recsys__v1_5_0;\n}',
    );
  });

  it('leaves weight-0 versions out in both modes', () => {
    for (const stickiness of ['request', 'user'] as const) {
      const { text } = renderNginxConfig(canarySplit('v1.4.0', 'v1.5.0', 0, stickiness), config);
      expect(text).not.toContain('10.0.0.21');
      expect(text).not.toContain('recsys__v1_5_0');
    }
  });

  it('keeps the split readable and gives each render a fresh revision of the same routing digest', () => {
    const split = canarySplit('v1.4.0', 'v1.5.0', 25, 'user');
    const first = renderNginxConfig(split, config);
    const second = renderNginxConfig(split, config);
    expect(splitFromNginxConfig(first.text)).toEqual(split);
    expect(first.digest).toBe(second.digest);
    expect(first.revision).not.toBe(second.revision);
    expect(first.revision.startsWith(first.digest)).toBe(true);
    expect(renderNginxConfig(canarySplit('v1.4.0', 'v1.5.0', 26, 'user'), config).digest).not.toBe(
      first.digest,
    );
    expect(splitFromNginxConfig('upstream handwritten { server 127.0.0.1:1; }')).toBeUndefined();
  });

  it('refuses versions whose upstream names would clash', () => {
    const split = splitSchema().parse({
      targets: [
        { version: 'v1.0', weight: 50 },
        { version: 'v1_0', weight: 50 },
      ],
      stickiness: 'user',
    });
    const servers = { 'v1.0': ['127.0.0.1:1'], v1_0: ['127.0.0.1:2'] };
    expect(() => renderNginxConfig(split, { ...config, servers })).toThrow(UserFacingError);
    expect(() => renderNginxConfig(split, { ...config, servers })).toThrow(
      "Versions 'v1.0' and 'v1_0' both become nginx upstream 'recsys__v1_0'",
    );
  });
});
