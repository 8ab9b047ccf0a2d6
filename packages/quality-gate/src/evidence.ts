import { formatPercent } from '@recsys-actions/core';
import { greaterIsBetter, type MetricRule } from './rules';

/**
 * A metric's paired comparison with the champion on the same users (see recsys-eval's comparePaired): the
 * relative change challenger / champion − 1 and its bootstrap intervals at each confidence computed.
 */
export interface MetricEvidence {
  /** The champion's mean over the compared users. */
  readonly baseline: number;
  readonly relativeChange: number;
  readonly intervals: readonly { confidence: number; lower: number; upper: number }[];
}

export type PairedEvidence = Readonly<Record<string, MetricEvidence>>;

/** What the interval says about a rule with `confidence`: clear either way, or not enough evidence. */
export type EvidenceOutcome =
  | { readonly decided: 'pass' }
  | { readonly decided: 'fail'; readonly problem: string }
  | { readonly decided: 'inconclusive'; readonly problem: string };

const percent = (value: number) => formatPercent(value, { sign: 'always' });

/**
 * Judges `min-relative-change` on the interval at the rule's confidence, in the metric's good direction: the
 * change fails when even the interval's best end misses the minimum, passes when its worst end meets it, and is
 * inconclusive when the interval straddles the minimum (more users, or a smaller change, would tell).
 */
export function judgeOnEvidence(metric: string, rule: MetricRule, evidence: MetricEvidence): EvidenceOutcome {
  const confidence = rule.confidence as number;
  const minimum = rule['min-relative-change'] as number;
  const interval = evidence.intervals.find((candidate) => candidate.confidence === confidence);
  if (interval === undefined) {
    return { decided: 'inconclusive', problem: `no interval at confidence ${confidence} was computed` };
  }
  const up = greaterIsBetter(metric, rule);
  const worst = up ? interval.lower : -interval.upper;
  const best = up ? interval.upper : -interval.lower;
  const slack = 1e-12 * Math.max(1, Math.abs(minimum));
  const stated = `relative change ${percent(evidence.relativeChange)}, ${formatPercent(confidence)} interval ${percent(interval.lower)} to ${percent(interval.upper)}`;
  if (best < minimum - slack) {
    return {
      decided: 'fail',
      problem: `${stated}: wholly ${up ? 'below' : 'above'} ${percent(up ? minimum : -minimum)}`,
    };
  }
  if (worst >= minimum - slack) return { decided: 'pass' };
  return {
    decided: 'inconclusive',
    problem: `inconclusive: ${stated} straddles ${percent(up ? minimum : -minimum)}`,
  };
}
