import { UserFacingError } from '@recsys-actions/core';
import type { Value } from './expressions';

export type MatrixLeg = Record<string, Value>;

export interface Strategy {
  /** One entry per leg; a job without a matrix has one empty leg. */
  legs: MatrixLeg[];
  failFast: boolean;
  /** How many legs run at once; Infinity when not limited. */
  maxParallel: number;
}

type Dictionary = Record<string, Value>;

const isDictionary = (value: Value | undefined): value is Dictionary =>
  value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);

/**
 * The legs of an evaluated `strategy:`, by GitHub's rules: the cross product of the matrix's lists in the order
 * written, less the legs an `exclude` entry matches; then each `include` entry extends every leg whose original
 * values it does not change, or becomes a leg of its own when it extends none.
 */
export function expandStrategy(strategy: Value | undefined): Strategy {
  if (!isDictionary(strategy)) return { legs: [{}], failFast: true, maxParallel: Infinity };
  const matrix = strategy.matrix;
  if (matrix !== undefined && !isDictionary(matrix))
    throw new UserFacingError(
      `strategy.matrix must be a mapping of lists. Example: matrix: { weight: [5, 50, 100] }`,
    );
  const { include, exclude, ...lists } = matrix ?? {};
  let legs: MatrixLeg[] = [{}];
  for (const [key, values] of Object.entries(lists)) {
    if (!Array.isArray(values))
      throw new UserFacingError(`strategy.matrix.${key} must be a list. Example: ${key}: [a, b]`);
    legs = legs.flatMap((leg) => values.map((value) => ({ ...leg, [key]: value })));
  }
  const excluded = Array.isArray(exclude) ? exclude.filter(isDictionary) : [];
  legs = legs.filter(
    (leg) => !excluded.some((entry) => Object.entries(entry).every(([k, v]) => same(leg[k], v))),
  );
  if (Object.keys(lists).length === 0) legs = [];
  legs = applyIncludes(legs, Object.keys(lists), Array.isArray(include) ? include.filter(isDictionary) : []);
  if (legs.length === 0) legs = [{}];
  const maxParallel = Number(strategy['max-parallel'] ?? Infinity);
  return {
    legs,
    failFast: strategy['fail-fast'] !== false && strategy['fail-fast'] !== 'false',
    maxParallel: maxParallel >= 1 ? maxParallel : Infinity,
  };
}

function applyIncludes(legs: MatrixLeg[], originalKeys: string[], includes: Dictionary[]): MatrixLeg[] {
  const result = legs.map((leg) => ({ ...leg }));
  for (const entry of includes) {
    // An entry may not change a leg's original values; values added by an earlier include may be overwritten.
    const fits = (index: number) =>
      Object.entries(entry).every(
        ([key, value]) => !originalKeys.includes(key) || same(legs[index]?.[key], value),
      );
    const targets = legs.map((_, index) => index).filter(fits);
    for (const index of targets) Object.assign(result[index] ?? {}, entry);
    if (targets.length === 0) result.push({ ...entry });
  }
  return result;
}

function same(a: Value | undefined, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
