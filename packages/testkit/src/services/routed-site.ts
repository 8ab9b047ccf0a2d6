import { join } from 'node:path';
import { nginxShadowSite, startNginx, type NginxInstance } from './nginx';
import { freePort } from './prometheus';
import { startVersionServer, type VersionServer } from './upstream';

/** The nginx router's fields a routed site runs with. */
export interface RoutedSiteFields {
  upstream: string;
  servers: Record<string, string[]>;
  userKey: string;
  probeListen: string;
}

export interface RoutedSiteOptions<Versions extends readonly string[]> {
  /** One version server is started per version, in this order. */
  versions: Versions;
  /** What `split_clients` hashes for user stickiness; the router's default when left out. */
  userKey?: string;
  /**
   * The include's first text, i.e. the nginx router's rendering of the split the site starts on (testkit does not
   * depend on the traffic package, so the test renders it).
   */
  render: (fields: RoutedSiteFields) => string;
  /** The site's `server` block on `port`; by default the mirroring site of `nginxShadowSite`. */
  site?: (port: number) => string;
}

export interface RoutedSite<Versions extends readonly string[] = string[]> {
  nginx: NginxInstance;
  /** The version servers, in the order of `versions`. */
  servers: { -readonly [Index in keyof Versions]: VersionServer };
  /** The site's base URL, without a trailing slash. */
  url: string;
  fields: RoutedSiteFields;
  /** An nginx `router-config` that routes this site: the include, the fields and this nginx's commands. */
  routerConfig: { path: string; testCommand: string[]; reloadCommand: string[] } & RoutedSiteFields;
  /** Stops nginx and the version servers; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Version servers behind a real nginx whose site proxies through the include the nginx router writes, as the
 * traffic package README tells a team to set it up.
 */
export async function startRoutedSite<const Versions extends readonly string[]>(
  executable: string,
  options: RoutedSiteOptions<Versions>,
): Promise<RoutedSite<Versions>> {
  const started = await Promise.all(options.versions.map((version) => startVersionServer(version)));
  const servers = started as RoutedSite<Versions>['servers'];
  const closeServers = () => Promise.all(started.map((server) => server.close()));
  const [sitePort, probePort] = [await freePort(), await freePort()];
  const fields: RoutedSiteFields = {
    upstream: 'recsys',
    servers: Object.fromEntries(started.map((server) => [server.version, [server.address]])),
    userKey: options.userKey ?? '$http_x_user_id',
    probeListen: `127.0.0.1:${probePort}`,
  };
  let nginx: NginxInstance;
  try {
    nginx = await startNginx({
      executable,
      files: { 'traffic.conf': options.render(fields) },
      http: `include {prefix}/traffic.conf;${(options.site ?? nginxShadowSite)(sitePort)}`,
    });
  } catch (error) {
    await closeServers();
    throw error;
  }
  return {
    nginx,
    servers,
    url: `http://127.0.0.1:${sitePort}`,
    fields,
    routerConfig: {
      path: join(nginx.prefix, 'traffic.conf'),
      ...fields,
      testCommand: nginx.testCommand,
      reloadCommand: nginx.reloadCommand,
    },
    async stop() {
      await nginx.stop();
      await closeServers();
    },
  };
}
