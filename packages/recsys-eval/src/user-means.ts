import { metricName, type AtKMetric } from './metric-names';

/** A metric averaged over users at each cut-off: the summed per-user values and how many users were summed. */
export interface UserSums {
  readonly sums: Float64Array;
  readonly users: Int32Array;
}

/** `<metric>@k` = sums / users for every cut-off that had a user; cut-offs without one are not reported. */
export function userMeans(metric: AtKMetric, cutoffs: readonly number[], { sums, users }: UserSums) {
  const metrics: Record<string, number> = {};
  for (const [index, k] of cutoffs.entries()) {
    if ((users[index] as number) > 0)
      metrics[metricName(metric, k)] = (sums[index] as number) / (users[index] as number);
  }
  return metrics;
}
