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
 * The legs of an evaluated `strategy:`: the cross product of the matrix's lists in the order written, less
 * the `exclude` entries that match a leg; `include` entries are added as legs of their own (GitHub would first
 * try to extend matching legs with them; this runner does not).
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
  legs.push(...(Array.isArray(include) ? include.filter(isDictionary) : []));
  if (legs.length === 0) legs = [{}];
  const maxParallel = Number(strategy['max-parallel'] ?? Infinity);
  return {
    legs,
    failFast: strategy['fail-fast'] !== false && strategy['fail-fast'] !== 'false',
    maxParallel: maxParallel >= 1 ? maxParallel : Infinity,
  };
}

function same(a: Value | undefined, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
