import { z } from 'zod';
import { ConfigError, lazily, UserFacingError } from '@recsys-actions/core';
import { parseSplitJson, type Split } from '../../split';
import type { JsonPatchOperation, KubeObject } from './client';

/**
 * Where the split is kept beside the weights: the weights alone cannot say the stickiness, nor the order the
 * release code reads stable and canary from. It is trusted only while the weights agree with it.
 */
export const SPLIT_ANNOTATION = 'recsys-actions/split';

/** What one Kubernetes kind looks like to a router that sets weights on one rule of it. */
export interface RuleShape<Backend> {
  /** The router's type: `gateway-api` or `istio`. */
  readonly router: string;
  /** e.g. `HTTPRoute`, for messages. */
  readonly kind: string;
  /** The list of rules in the spec: `rules` (HTTPRoute) or `http` (VirtualService). */
  readonly rulesKey: string;
  /** The weighted list in a rule: `backendRefs` or `route`. */
  readonly entriesKey: string;
  /** Whether a live entry is this version's backend. */
  matches(entry: Record<string, unknown>, backend: Backend): boolean;
  /** A new entry for a version not in the rule yet; `rule` gives defaults such as Istio's host. */
  newEntry(backend: Backend, weight: number, entries: Record<string, unknown>[]): Record<string, unknown>;
  /** The entry's effective weight when it has none (Gateway API: 1; Istio: 100 when alone). */
  defaultWeight(entries: readonly unknown[]): number;
  describe(entry: Record<string, unknown>): string;
  /** How a rule copies requests to a shadow; absent when the kind cannot (the router then cannot mirror). */
  readonly mirror?: MirrorShape<Backend>;
}

/** Where a rule names its shadow and the share of requests copied to it. */
export interface MirrorShape<Backend> {
  /** The rule's fields that say the shadow, all removed when the split has none. */
  readonly keys: readonly string[];
  /** The rule's shadow as an entry `matches` can judge, and its percent; undefined when it has none. */
  read(rule: Record<string, unknown>): { entry: Record<string, unknown>; percent: number } | undefined;
  /** The rule's fields that put `backend` in the shadow at `percent`, given the rule's weighted entries. */
  fields(backend: Backend, percent: number, entries: Record<string, unknown>[]): Record<string, unknown>;
}

/** The part of a router's config naming the rule and the backends, shared by the Kubernetes routers. */
export interface RuleSelection<Backend> {
  namespace: string;
  name: string;
  /** The rule's index, or its `name`. */
  rule: number | string;
  backends: Record<string, Backend>;
}

export const ruleSelectorSchema = lazily(() =>
  z.union([z.number().int().min(0), z.string().min(1)]).default(0),
);

interface LocatedRule {
  index: number;
  rule: Record<string, unknown>;
  entries: Record<string, unknown>[];
  /** JSON pointer to the entries list. */
  pointer: string;
  /** JSON pointer to the rule. */
  rulePointer: string;
}

/** The selected rule of `object`; a missing one is a ConfigError naming `rule`. */
export function locateRule<B>(
  object: KubeObject,
  shape: RuleShape<B>,
  selection: RuleSelection<B>,
): LocatedRule {
  const rules = (object.spec as Record<string, unknown> | undefined)?.[shape.rulesKey];
  const list = Array.isArray(rules) ? (rules as Record<string, unknown>[]) : [];
  const where = `${shape.kind} ${selection.namespace}/${selection.name}`;
  const index =
    typeof selection.rule === 'number'
      ? selection.rule
      : list.findIndex((rule) => rule.name === selection.rule);
  if (index < 0 || index >= list.length) {
    const problem =
      typeof selection.rule === 'number'
        ? `is ${selection.rule}, but ${where} has ${list.length} in spec.${shape.rulesKey} (counted from 0)`
        : `names '${selection.rule}', but no rule of ${where} has that name (${namesOf(list)})`;
    throw new ConfigError('config', `for router '${shape.router}' rule ${problem}`, '{ rule: 0 }');
  }
  const rule = list[index] ?? {};
  const entries = rule[shape.entriesKey];
  const rulePointer = `/spec/${shape.rulesKey}/${index}`;
  return {
    index,
    rule,
    entries: Array.isArray(entries) ? (entries as Record<string, unknown>[]) : [],
    pointer: `${rulePointer}/${shape.entriesKey}`,
    rulePointer,
  };
}

function namesOf(rules: Record<string, unknown>[]): string {
  const names = rules.map((rule) => rule.name).filter((name) => typeof name === 'string');
  return names.length > 0 ? `rules are named ${names.join(', ')}` : 'no rule has a name';
}

interface LiveEntry {
  version: string | undefined;
  weight: number;
  entry: Record<string, unknown>;
}

function liveEntries<B>(located: LocatedRule, shape: RuleShape<B>, backends: Record<string, B>): LiveEntry[] {
  return located.entries.map((entry) => {
    const versions = Object.keys(backends).filter((version) => shape.matches(entry, backends[version] as B));
    const raw = entry.weight;
    return {
      version: versions[0],
      weight: typeof raw === 'number' ? raw : shape.defaultWeight(located.entries),
      entry,
    };
  });
}

/**
 * The split the rule serves: the annotated split while the weights agree with it, else one read from the
 * weights (per request, in the rule's order). Undefined when the rule sends nothing to any known backend.
 */
export function readSplit<B>(
  object: KubeObject,
  shape: RuleShape<B>,
  selection: RuleSelection<B>,
): Split | undefined {
  const located = locateRule(object, shape, selection);
  const live = liveEntries(located, shape, selection.backends);
  const where = `${shape.kind} ${selection.namespace}/${selection.name}`;
  const stray = live.find((entry) => entry.version === undefined && entry.weight > 0);
  if (stray) {
    throw new UserFacingError(
      `${where} sends traffic to ${shape.describe(stray.entry)}, which is no version in router-config backends; ` +
        'add it to backends (or set its weight to 0) so the router knows what serves. Nothing was changed.',
    );
  }
  const total = live.reduce((sum, entry) => sum + entry.weight, 0);
  if (total === 0) return undefined;
  const percents = new Map<string, number>();
  for (const entry of live) {
    if (entry.version === undefined || entry.weight === 0) continue;
    if (percents.has(entry.version)) {
      throw new UserFacingError(
        `${where} has two entries for version ${entry.version}; keep one. Nothing was changed.`,
      );
    }
    percents.set(entry.version, (entry.weight * 100) / total);
  }
  if ([...percents.values()].some((percent) => !Number.isInteger(percent))) {
    throw new UserFacingError(
      `${where} weights ${live.map((entry) => entry.weight).join('/')} are not whole percentages; set them to add ` +
        'up to 100 so the router can read the split. Nothing was changed.',
    );
  }
  const mirror = readMirror(located, shape, selection, where);
  const annotated = annotatedSplit(object);
  if (annotated && agrees(annotated, percents, mirror)) return annotated;
  const targets = [...percents].map(([version, weight]) => ({ version, weight }));
  return { targets, stickiness: annotated?.stickiness ?? 'request', ...(mirror ? { mirror } : {}) };
}

/** The rule's shadow as a version and percent; a shadow on no known backend is refused like a stray weight. */
function readMirror<B>(
  located: LocatedRule,
  shape: RuleShape<B>,
  selection: RuleSelection<B>,
  where: string,
): Split['mirror'] {
  const live = shape.mirror?.read(located.rule);
  if (!live || live.percent === 0) return undefined;
  const version = Object.keys(selection.backends).find((candidate) =>
    shape.matches(live.entry, selection.backends[candidate] as B),
  );
  if (version === undefined || !Number.isInteger(live.percent)) {
    throw new UserFacingError(
      `${where} mirrors ${live.percent}% to ${shape.describe(live.entry)}, which ` +
        (version === undefined
          ? 'is no version in router-config backends; add it to backends'
          : 'is not a whole percentage; set a whole one') +
        ' so the router knows what serves. Nothing was changed.',
    );
  }
  return { version, percent: live.percent };
}

function annotatedSplit(object: KubeObject): Split | undefined {
  return parseSplitJson(object.metadata.annotations?.[SPLIT_ANNOTATION]);
}

function agrees(split: Split, percents: Map<string, number>, mirror: Split['mirror']): boolean {
  const named = split.targets.filter((target) => target.weight > 0);
  return (
    named.length === percents.size &&
    named.every((target) => percents.get(target.version) === target.weight) &&
    split.mirror?.version === mirror?.version &&
    split.mirror?.percent === mirror?.percent
  );
}

/**
 * The JSON patch that puts `split` on the rule: a weight for each entry of a known version (0 for versions the
 * split leaves out), a new entry for a version the rule lacks, and the annotation. Nothing else is touched.
 */
export function planWeights<B>(
  object: KubeObject,
  shape: RuleShape<B>,
  selection: RuleSelection<B>,
  split: Split,
): JsonPatchOperation[] {
  requireBackends(shape, selection, split);
  const located = locateRule(object, shape, selection);
  const live = liveEntries(located, shape, selection.backends);
  const weights = new Map(split.targets.map((target) => [target.version, target.weight]));
  const operations: JsonPatchOperation[] = [];
  live.forEach(({ version, entry }, index) => {
    if (version === undefined) return;
    const weight = weights.get(version) ?? 0;
    if (entry.weight !== weight)
      operations.push({ op: 'add', path: `${located.pointer}/${index}/weight`, value: weight });
  });
  const present = new Set(live.map((entry) => entry.version));
  const added = split.targets
    .filter((target) => !present.has(target.version))
    .map((target) => shape.newEntry(selection.backends[target.version] as B, target.weight, located.entries));
  if (added.length > 0 && located.entries.length === 0) {
    operations.push({ op: 'add', path: located.pointer, value: added });
  } else {
    for (const entry of added) operations.push({ op: 'add', path: `${located.pointer}/-`, value: entry });
  }
  operations.push(...planMirror(located, shape, selection, split));
  const annotation = JSON.stringify(split);
  operations.push(
    object.metadata.annotations === undefined
      ? { op: 'add', path: '/metadata/annotations', value: { [SPLIT_ANNOTATION]: annotation } }
      : {
          op: 'add',
          path: `/metadata/annotations/${SPLIT_ANNOTATION.replace('/', '~1')}`,
          value: annotation,
        },
  );
  return operations;
}

/** Sets the rule's shadow fields to the split's shadow, or removes the ones a shadow had set. */
function planMirror<B>(
  located: LocatedRule,
  shape: RuleShape<B>,
  selection: RuleSelection<B>,
  split: Split,
): JsonPatchOperation[] {
  if (!shape.mirror) return [];
  const wanted = split.mirror
    ? shape.mirror.fields(
        selection.backends[split.mirror.version] as B,
        split.mirror.percent,
        located.entries,
      )
    : {};
  const removed = shape.mirror.keys.filter((key) => !(key in wanted) && key in located.rule);
  return [
    ...removed.map((key) => ({ op: 'remove' as const, path: `${located.rulePointer}/${key}` })),
    ...Object.entries(wanted).map(([key, value]) => ({
      op: 'add' as const,
      path: `${located.rulePointer}/${key}`,
      value,
    })),
  ];
}

/** A version of the split without a backend is the config's fault, found before anything is read or written. */
export function requireBackends<B>(shape: RuleShape<B>, selection: RuleSelection<B>, split: Split): void {
  const versions = [...split.targets, ...(split.mirror ? [split.mirror] : [])];
  const missing = versions.find((target) => !Object.hasOwn(selection.backends, target.version));
  if (missing) {
    throw new ConfigError(
      'config',
      `for router '${shape.router}' has no backend for version '${missing.version}' in backends ` +
        `(it has ${Object.keys(selection.backends).join(', ') || 'none'})`,
    );
  }
}
