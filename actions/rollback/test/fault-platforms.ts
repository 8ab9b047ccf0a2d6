import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { writeFiles } from '@recsys-actions/testkit';
import { AwsFake } from '@recsys-actions/testkit/aws/fake';
import { KubernetesApiFake, type KubeObject } from '@recsys-actions/testkit/kubernetes/api-server';
import { httpRoute, virtualService } from '@recsys-actions/testkit/kubernetes/fixtures';
import { PLATFORM_SCRIPTS } from '../../shift-traffic/test/command-platform';
import { copyOf, fileJournal, trafficOf, watchSplits, type Round, type Targets } from './faults';

/**
 * The platforms the release-safety fault suite runs on besides the file router and nginx: each router that moves
 * real traffic, against the testkit fake of its platform (or the workspace, for git mode and the command router).
 * A platform puts a round's workspace on a split, says what serves now, and records every split it took.
 */
export interface FaultPlatform {
  router: string;
  /** Starts the fake this platform needs (once per suite). */
  start(): Promise<void>;
  close(): Promise<void>;
  /** Puts the platform on `split` for a round in `workspace`; the inputs and env point the step at it. */
  prepare(workspace: string, split: Targets): Pick<Round, 'inputs' | 'options'>;
  /** What serves now, as percent per routed version. */
  serving(workspace: string): Targets | undefined;
  /** Every split the platform took since `prepare`, in order; stops recording. */
  taken(workspace: string): Targets[];
  /**
   * The router itself replaces a workspace file by rename (git mode), so EIO sweeps on rename(2) hit the router
   * and not only the ledger. (The command router's renames are its scripts', which its own tests fail.)
   */
  renamesItsFile?: boolean;
}

const VERSIONS = ['v1', 'v2', 'v3', 'v4'] as const;

/** Weights on any scale as whole percent per routed version (zero weights route nothing and are left out). */
export function percentOf(weights: [string | undefined, number][]): Targets | undefined {
  const routed = weights.filter((entry): entry is [string, number] => entry[0] !== undefined && entry[1] > 0);
  const total = routed.reduce((sum, [, weight]) => sum + weight, 0);
  if (total === 0) return undefined;
  return Object.fromEntries(routed.map(([version, weight]) => [version, Math.round((100 * weight) / total)]));
}

/** Records each split `read` gives after every call of a fake (which runs in this process). */
function recorder(read: () => Targets | undefined) {
  let seen: Targets[] = [];
  return {
    begin() {
      seen = [];
      this.look();
    },
    look() {
      const now = read();
      if (now !== undefined && JSON.stringify(now) !== JSON.stringify(seen.at(-1))) seen.push(now);
    },
    taken: () => seen,
  };
}

/** A round on a platform: a copy of the template's workspace and journal, the platform on the template's split. */
export function platformRound(platform: FaultPlatform, template: string): Round {
  const workspace = copyOf(template);
  const split = trafficOf(join(template, 'traffic', 'production.json')) ?? {};
  return {
    workspace,
    ...platform.prepare(workspace, split),
    observe: async () => platform.serving(workspace),
    journal: () => fileJournal(workspace),
    seen: () => platform.taken(workspace),
  };
}

/** Fast polling and few SDK attempts, so a faulted round stays short. */
const AWS_TIMING = 'pollIntervalMs: 20, maxAttempts: 3, verifyTimeoutMs: 5000';

/** One fake shared by the platforms of a family: started by the first suite that needs it, closed after each. */
function sharedFake<Fake extends { close(): Promise<void> }>(start: () => Promise<Fake>) {
  let fake: Fake | undefined;
  return {
    get(): Fake {
      if (!fake) throw new Error('the fake starts in beforeAll');
      return fake;
    },
    lifecycle: {
      async start() {
        fake ??= await start();
      },
      async close() {
        await fake?.close();
        fake = undefined;
      },
    },
  };
}

function awsPlatforms(): FaultPlatform[] {
  const fake = sharedFake(() => AwsFake.start('eu-west-1'));
  const aws = fake.get;
  const shared = fake.lifecycle;
  const backends = (name: (version: string) => string | number) =>
    `{ ${VERSIONS.map((version) => `${version}: "${name(version)}"`).join(', ')} }`;
  const onAws = (
    router: string,
    seed: (split: Targets) => string,
    serving: () => Targets | undefined,
  ): FaultPlatform => {
    const record = recorder(serving);
    return {
      router,
      ...shared,
      prepare(_workspace, split) {
        const config = seed(split);
        aws().onCall = () => record.look();
        record.begin();
        return { inputs: { router, 'router-config': config }, options: { env: aws().env() } };
      },
      serving,
      taken: () => record.taken(),
    };
  };
  const variant = (version: string) => `variant-${version}`;
  const targetGroup = (version: string) => aws().elbv2.targetGroupArn(`recs-${version}`);
  return [
    onAws(
      'sagemaker',
      (split) => {
        aws().sagemaker.updatingPolls = 1;
        aws().sagemaker.addEndpoint(
          'recs-prod',
          Object.fromEntries(VERSIONS.map((version) => [variant(version), split[version] ?? 0])),
        );
        return `{ endpointName: recs-prod, backends: ${backends(variant)}, ${AWS_TIMING} }`;
      },
      () =>
        percentOf(
          Object.entries(aws().sagemaker.weights('recs-prod')).map(([name, weight]) => [
            VERSIONS.find((version) => variant(version) === name),
            weight,
          ]),
        ),
    ),
    onAws(
      'lambda',
      (split) => {
        aws().lambda.staleReads = 1;
        const [primary = 'v1'] = Object.keys(split);
        aws().lambda.addFunction('ranker', ['1', '2', '3', '4'], { live: { version: primary.slice(1) } });
        return `{ functionName: ranker, alias: live, backends: ${backends((version) => version.slice(1))}, ${AWS_TIMING} }`;
      },
      () => {
        const alias = aws().lambda.alias('ranker', 'live');
        const extra = Object.entries(alias.weights).map(([number, share]): [string, number] => [
          `v${number}`,
          100 * share,
        ]);
        const rest = 100 - extra.reduce((sum, [, weight]) => sum + weight, 0);
        return percentOf([[`v${alias.functionVersion}`, rest], ...extra]);
      },
    ),
    onAws(
      'alb',
      (split) => {
        const elb = aws().elbv2;
        elb.listeners.clear();
        for (const version of VERSIONS) elb.addTargetGroup(`recs-${version}`);
        const groups = Object.entries(split).map(([version, weight]) => ({
          TargetGroupArn: targetGroup(version),
          Weight: weight,
        }));
        const listener = elb.addListener('l1', [
          { Type: 'forward', ForwardConfig: { TargetGroups: groups } },
        ]);
        return `{ listenerArn: "${listener}", backends: ${backends(targetGroup)}, ${AWS_TIMING} }`;
      },
      () => {
        const forward = [...aws().elbv2.listeners.values()][0]?.actions[0]?.ForwardConfig?.TargetGroups ?? [];
        return percentOf(
          forward.map((group) => [
            VERSIONS.find((version) => targetGroup(version) === group.TargetGroupArn),
            group.Weight ?? 0,
          ]),
        );
      },
    ),
  ];
}

/** The weighted rule of an HTTPRoute or VirtualService as percent per version. */
function ruleSplit(object: KubeObject | undefined): Targets | undefined {
  if (object?.kind === 'HTTPRoute') {
    const refs = (object.spec as { rules: { backendRefs: { name: string; weight?: number }[] }[] }).rules[1]
      ?.backendRefs;
    return percentOf((refs ?? []).map((ref) => [ref.name.replace('recsys-', ''), ref.weight ?? 1]));
  }
  const routes = (
    object?.spec as { http: { route: { destination: { subset: string }; weight?: number }[] }[] }
  )?.http[1]?.route;
  return percentOf((routes ?? []).map((route) => [route.destination.subset, route.weight ?? 100]));
}

const GATEWAY_BACKENDS = `{ ${VERSIONS.map((version) => `${version}: { name: recsys-${version}, port: 8080 }`).join(', ')} }`;
const ISTIO_BACKENDS = `{ ${VERSIONS.map((version) => `${version}: ${version}`).join(', ')} }`;

function kubernetesPlatforms(): FaultPlatform[] {
  const fake = sharedFake(() => KubernetesApiFake.start());
  const kube = fake.get;
  const shared = fake.lifecycle;
  const onApi = (router: string, resource: string, seed: (split: Targets) => KubeObject, config: string) => {
    const record = recorder(() => ruleSplit(kube().get(resource, 'prod', 'recsys')));
    return {
      router,
      ...shared,
      prepare(_workspace: string, split: Targets) {
        kube().reset();
        kube().put(seed(split));
        kube().onSpecChange = () => record.look();
        record.begin();
        return {
          inputs: { router, 'router-config': config },
          options: { env: { KUBECONFIG: kube().kubeconfigPath } },
        };
      },
      serving: () => ruleSplit(kube().get(resource, 'prod', 'recsys')),
      taken: () => record.taken(),
    };
  };
  return [
    onApi(
      'gateway-api',
      'httproutes',
      (split) => httpRoute(prefixed(split)),
      `{ namespace: prod, name: recsys, rule: 1, backends: ${GATEWAY_BACKENDS} }`,
    ),
    onApi(
      'istio',
      'virtualservices',
      (split) => virtualService(split),
      `{ namespace: prod, name: recsys, rule: main, backends: ${ISTIO_BACKENDS} }`,
    ),
  ];
}

const prefixed = (split: Targets) =>
  Object.fromEntries(Object.entries(split).map(([version, weight]) => [`recsys-${version}`, weight]));

/** gateway-api in git mode: the HTTPRoute manifest in the workspace, with a comment that must survive. */
function gitPlatform(): FaultPlatform {
  const manifest = (workspace: string) => join(workspace, 'deploy', 'httproute.yaml');
  const platform = workspaceFilePlatform(
    'gateway-api',
    manifest,
    (workspace, split) => {
      writeFiles(workspace, {
        'deploy/httproute.yaml': `# synced by Argo CD\n${stringify(httpRoute(prefixed(split)))}`,
      });
      return `{ mode: git, path: deploy/httproute.yaml, namespace: prod, name: recsys, rule: 1, backends: ${GATEWAY_BACKENDS} }`;
    },
    (text) => ruleSplit(parse(text) as KubeObject),
  );
  return { ...platform, renamesItsFile: true };
}

/** A router whose platform is a file in the workspace: watched every few milliseconds while a round runs. */
function workspaceFilePlatform(
  router: string,
  file: (workspace: string) => string,
  seed: (workspace: string, split: Targets) => string,
  read: (text: string) => Targets | undefined,
): FaultPlatform {
  const serving = (workspace: string) =>
    existsSync(file(workspace)) ? read(readFileSync(file(workspace), 'utf8')) : undefined;
  const watchers = new Map<string, ReturnType<typeof watchSplits>>();
  return {
    router,
    start: async () => {},
    close: async () => {},
    prepare(workspace, split) {
      const config = seed(workspace, split);
      watchers.set(
        workspace,
        watchSplits(() => serving(workspace)),
      );
      return { inputs: { router, 'router-config': config }, options: {} };
    },
    serving,
    taken: (workspace) => watchers.get(workspace)?.stop() ?? [],
  };
}

/** The command router on the team scripts of the command e2e tests, which replace the live file atomically. */
function commandPlatform(): FaultPlatform {
  const live = (workspace: string) => join(workspace, 'platform', 'live.json');
  return workspaceFilePlatform(
    'command',
    live,
    (workspace, split) => {
      writeFiles(workspace, {
        ...PLATFORM_SCRIPTS,
        'platform/live.json': JSON.stringify({
          targets: Object.entries(split).map(([version, weight]) => ({ version, weight })),
          stickiness: 'request',
        }),
      });
      return '{ apply-command: bash deploy/set-split.sh, observe-command: bash deploy/get-split.sh }';
    },
    (text) => {
      const split = JSON.parse(text) as { targets: { version: string; weight: number }[] } | null;
      return split ? percentOf(split.targets.map((target) => [target.version, target.weight])) : undefined;
    },
  );
}

/** Every platform of the suite, each named as its tests show it. */
export function faultPlatforms(): { name: string; platform: FaultPlatform }[] {
  const [gatewayApi, istio] = kubernetesPlatforms();
  const [sagemaker, lambda, alb] = awsPlatforms();
  return [
    { name: 'command', platform: commandPlatform() },
    { name: 'gateway-api (api mode)', platform: gatewayApi },
    { name: 'gateway-api (git mode)', platform: gitPlatform() },
    { name: 'istio (api mode)', platform: istio },
    { name: 'sagemaker', platform: sagemaker },
    { name: 'lambda', platform: lambda },
    { name: 'alb', platform: alb },
  ].flatMap(({ name, platform }) => (platform ? [{ name, platform }] : []));
}
