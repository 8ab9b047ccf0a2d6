import { lazily } from '@recsys-actions/core';
import { z } from 'zod';
import { VERSION_PATTERN, VERSION_RULE } from './version';

export { VERSION_PATTERN };

export const versionSchema = lazily(() => z.string().regex(VERSION_PATTERN, VERSION_RULE));

export const stickinessSchema = lazily(() => z.enum(['request', 'user']));
/** `request`: every request is routed independently; `user`: one user always reaches the same version. */
export type Stickiness = z.infer<ReturnType<typeof stickinessSchema>>;

export const splitSchema = lazily(() =>
  z
    .object({
      targets: z
        .array(
          z
            .object({
              version: versionSchema(),
              weight: z.number().int('must be a whole percent, e.g. 10').min(0).max(100),
            })
            .strict(),
        )
        .min(1, 'must name at least one version'),
      stickiness: stickinessSchema(),
      /**
       * A shadow: this share of requests is copied to `version`, whose answers are dropped. It takes no traffic,
       * so every rule about who serves (rollback targets, fully live versions) ignores it.
       */
      mirror: z
        .object({
          version: versionSchema(),
          percent: z.number().int('must be a whole percent, e.g. 10').min(1).max(100),
        })
        .strict()
        .optional(),
    })
    .strict()
    .superRefine((split, context) => {
      const mirrored = split.mirror?.version;
      if (split.targets.some((target) => target.version === mirrored && target.weight > 0)) {
        context.addIssue({
          code: 'custom',
          path: ['mirror'],
          message: `mirrors version '${mirrored}', which already serves; a shadow is a version that takes no traffic`,
        });
      }
      const total = split.targets.reduce((sum, target) => sum + target.weight, 0);
      if (total !== 100) {
        context.addIssue({
          code: 'custom',
          path: ['targets'],
          message: `weights must add up to 100, got ${total}`,
        });
      }
      const seen = new Set<string>();
      for (const { version } of split.targets) {
        if (seen.has(version)) {
          context.addIssue({
            code: 'custom',
            path: ['targets'],
            message: `names version '${version}' twice`,
          });
        }
        seen.add(version);
      }
    }),
);

/** How traffic is shared between model versions: integer percentages in a meaningful order (stable first). */
export type Split = z.infer<ReturnType<typeof splitSchema>>;
export type SplitTarget = Split['targets'][number];

/** The split a JSON text a router wrote holds; undefined when the text is missing, not JSON or not a split. */
export function parseSplitJson(text: string | undefined): Split | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = splitSchema().safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function allTrafficTo(version: string, stickiness: Stickiness = 'request'): Split {
  return splitSchema().parse({ targets: [{ version, weight: 100 }], stickiness });
}

/** The usual canary shape: the stable version keeps what the canary does not take. */
export function canarySplit(
  stable: string,
  canary: string,
  canaryWeight: number,
  stickiness: Stickiness = 'request',
): Split {
  return splitSchema().parse({
    targets: [
      { version: stable, weight: 100 - canaryWeight },
      { version: canary, weight: canaryWeight },
    ],
    stickiness,
  });
}

/** Every response still comes from `split`'s versions; `percent` of the requests are copied to `version`. */
export function shadowSplit(split: Split, version: string, percent: number): Split {
  const { mirror: _replaced, ...serving } = split;
  return splitSchema().parse({ ...serving, mirror: { version, percent } });
}

/** `split` without its shadow, or `split` itself when it has none. */
export function withoutShadow(split: Split): Split {
  const { mirror: _ended, ...serving } = split;
  return serving;
}

/** Versions that receive any traffic at all, in split order; a shadow receives none. */
export function routedVersions(split: Split): string[] {
  return split.targets.filter((target) => target.weight > 0).map((target) => target.version);
}

export function sameSplit(a: Split | undefined, b: Split | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.stickiness === b.stickiness &&
    a.mirror?.version === b.mirror?.version &&
    a.mirror?.percent === b.mirror?.percent &&
    a.targets.length === b.targets.length &&
    a.targets.every(
      (target, index) =>
        target.version === b.targets[index]?.version && target.weight === b.targets[index]?.weight,
    )
  );
}

/** `v1 90% / v2 10% (per user)`, or `v1 100% (per request), shadow v2 10%`, for logs and reports. */
export function describeSplit(split: Split): string {
  const shares = split.targets.map((target) => `${target.version} ${target.weight}%`).join(' / ');
  const shadow = split.mirror ? `, shadow ${split.mirror.version} ${split.mirror.percent}%` : '';
  return `${shares} (${split.stickiness === 'user' ? 'per user' : 'per request'})${shadow}`;
}
