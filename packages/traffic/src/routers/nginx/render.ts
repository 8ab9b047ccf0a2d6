import { ConfigError, randomHex, sha256, UserFacingError } from '@recsys-actions/core';
import { parseSplitJson, type Split } from '../../split';
import type { NginxRouterConfig } from './config';

export const PROBE_PATH = '/recsys-traffic-revision';
/** The internal location sites mirror to; its name is only a convention the README's site snippet uses. */
export const SHADOW_LOCATION = '/recsys-shadow';
const SPLIT_MARKER = '# recsys-split: ';
const DIGEST_MARKER = '# recsys-routing-digest: ';

type RenderConfig = Pick<NginxRouterConfig, 'upstream' | 'servers' | 'userKey' | 'probeListen'>;

export interface RenderedNginxConfig {
  text: string;
  /** Identifies the routing alone, so re-rendering the same split is recognised as no change. */
  digest: string;
  /**
   * What the probe server answers once nginx serves this very file. The digest plus a fresh nonce: an old worker
   * still draining from an earlier reload of the same split must not pass for the new one.
   */
  revision: string;
}

/** The variable a site's `proxy_pass` uses, in both stickiness modes. */
export function upstreamVariable(upstream: string): string {
  return `$${upstream}_upstream`;
}

/** The variable a site's shadow location proxies to: an upstream while a shadow runs, else empty. */
export function shadowUpstreamVariable(upstream: string): string {
  return `$${upstream}_shadow_upstream`;
}

/**
 * Renders the `http`-level include for a split. Versions with weight 0 are left out entirely, so nginx cannot
 * route to them even on retries. The split itself is kept in a comment so read() can recover it exactly.
 */
export function renderNginxConfig(split: Split, config: RenderConfig): RenderedNginxConfig {
  checkServersCover(split, config);
  const routed = split.targets.filter((target) => target.weight > 0);
  const routing =
    (split.stickiness === 'user' ? renderPerUser(routed, config) : renderPerRequest(routed, config)) +
    renderShadow(split, config);
  const digest = sha256().update(routing).digest('hex').slice(0, 16);
  const revision = `${digest}-${randomHex(4)}`;
  const text = [
    '# Written by recsys-actions (traffic router "nginx") on every traffic change; edits here are overwritten.',
    `${SPLIT_MARKER}${JSON.stringify(split)}`,
    `${DIGEST_MARKER}${digest}`,
    `# Sites proxy with: proxy_pass http://${upstreamVariable(config.upstream)};`,
    `# and shadow with: mirror ${SHADOW_LOCATION}; plus location = ${SHADOW_LOCATION} (see the traffic package README)`,
    '',
    routing,
    `server {`,
    `    listen ${config.probeListen};`,
    `    location = ${PROBE_PATH} { return 200 "${revision}"; }`,
    `}`,
    '',
  ].join('\n');
  return { text, digest, revision };
}

/** The routing digest of a file this renderer wrote; undefined for anything else. */
export function digestFromNginxConfig(text: string): string | undefined {
  return markedLine(text, DIGEST_MARKER);
}

/** Recovers the split from a file this renderer wrote; undefined for anything else. */
export function splitFromNginxConfig(text: string): Split | undefined {
  return parseSplitJson(markedLine(text, SPLIT_MARKER));
}

function markedLine(text: string, marker: string): string | undefined {
  return text
    .split('\n')
    .find((line) => line.startsWith(marker))
    ?.slice(marker.length);
}

function checkServersCover(split: Split, config: RenderConfig): void {
  const versions = [
    ...split.targets.map((target) => target.version),
    ...(split.mirror ? [split.mirror.version] : []),
  ];
  const missing = versions.filter((version) => !config.servers[version]);
  if (missing.length > 0) {
    const known = Object.keys(config.servers).join(', ') || 'none';
    throw new ConfigError(
      'config',
      `for router 'nginx' has no servers for version '${missing[0]}' (configured: ${known}); ` +
        `add them, e.g. servers: { ${missing[0]}: ["127.0.0.1:8082"] }. Nothing was changed.`,
    );
  }
}

/**
 * One weighted upstream. A version with several servers shares its weight among them, scaled by the least common
 * multiple of the server counts so that every server weight stays an integer and the version totals keep the split.
 */
function renderPerRequest(routed: Split['targets'], config: RenderConfig): string {
  const serversOf = (version: string) => config.servers[version] ?? [];
  const scale = routed.reduce((multiple, target) => lcm(multiple, serversOf(target.version).length), 1);
  const lines = routed.flatMap((target) =>
    serversOf(target.version).map(
      (server) =>
        `    server ${server} weight=${(target.weight * scale) / serversOf(target.version).length};`,
    ),
  );
  return [
    `upstream ${config.upstream} {`,
    ...lines,
    `}`,
    `map $host ${upstreamVariable(config.upstream)} {`,
    `    default ${config.upstream};`,
    `}`,
    '',
  ].join('\n');
}

/** One upstream per version, chosen by `split_clients` on the user key (MurmurHash2 inside nginx). */
function renderPerUser(routed: Split['targets'], config: RenderConfig): string {
  const names = versionUpstreamNames(
    routed.map((target) => target.version),
    config.upstream,
  );
  const upstreams = routed.flatMap((target) => [
    `upstream ${names.get(target.version)} {`,
    ...(config.servers[target.version] ?? []).map((server) => `    server ${server};`),
    `}`,
  ]);
  const buckets = routed.map((target, index) =>
    index === routed.length - 1
      ? `    * ${names.get(target.version)};`
      : `    ${target.weight}% ${names.get(target.version)};`,
  );
  return [
    ...upstreams,
    `split_clients "${config.userKey}" ${upstreamVariable(config.upstream)} {`,
    ...buckets,
    `}`,
    '',
  ].join('\n');
}

/**
 * The shadow's upstream and the variable naming it for a share of requests. nginx's `mirror` copies every
 * request, so the share is drawn by `split_clients` (on the request id, or the user key for per-user splits so
 * a user's requests are shadowed together); requests outside it get an empty variable, which the site's shadow
 * location answers itself. Without a shadow the variable is always empty, so a site configured for shadows
 * stays valid between them. `<upstream>_shadow` cannot clash with a version's `<upstream>__<version>`.
 */
function renderShadow(split: Split, config: RenderConfig): string {
  const variable = shadowUpstreamVariable(config.upstream);
  const mirror = split.mirror;
  if (!mirror) return [`map $host ${variable} {`, `    default "";`, `}`, ''].join('\n');
  const name = `${config.upstream}_shadow`;
  const key = split.stickiness === 'user' ? config.userKey : '$request_id';
  const choice =
    mirror.percent === 100
      ? [`map $host ${variable} {`, `    default ${name};`, `}`]
      : [`split_clients "${key}" ${variable} {`, `    ${mirror.percent}% ${name};`, `    * "";`, `}`];
  return [
    `upstream ${name} {`,
    ...(config.servers[mirror.version] ?? []).map((server) => `    server ${server};`),
    `}`,
    ...choice,
    '',
  ].join('\n');
}

function versionUpstreamNames(versions: string[], upstream: string): Map<string, string> {
  const names = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const version of versions) {
    const name = `${upstream}__${version.replace(/[^A-Za-z0-9_]/g, '_')}`;
    const clash = owners.get(name);
    if (clash !== undefined) {
      throw new UserFacingError(
        `Versions '${clash}' and '${version}' both become nginx upstream '${name}'; rename one of them.`,
      );
    }
    owners.set(name, version);
    names.set(version, name);
  }
  return names;
}

function lcm(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a * b) / gcd(a, b);
}
