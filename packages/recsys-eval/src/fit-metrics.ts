// Microsoft Recommenders' rating metrics beyond rmse and mae, on the joined (rating, prediction) pairs. MSR calls
// scikit-learn for each; the formulas below are scikit-learn's, including its conventions at the edges.

function mean(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** 1 − residual / total, scikit-learn's convention when the truth is constant: 1 for a perfect fit, else 0. */
export function oneMinusRatio(residual: number, total: number): number {
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}

/** `rsquared`: 1 − Σ(y − ŷ)² / Σ(y − ȳ)² (`sklearn.metrics.r2_score`). */
export function rSquared(truth: Float64Array, predicted: Float64Array): number {
  const average = mean(truth);
  let residual = 0;
  let total = 0;
  for (let i = 0; i < truth.length; i++) {
    residual += ((truth[i] as number) - (predicted[i] as number)) ** 2;
    total += ((truth[i] as number) - average) ** 2;
  }
  return oneMinusRatio(residual, total);
}

/** `exp_var`: 1 − Var(y − ŷ) / Var(y) (`sklearn.metrics.explained_variance_score`). */
export function explainedVariance(truth: Float64Array, predicted: Float64Array): number {
  const errors = truth.map((value, i) => value - (predicted[i] as number));
  const errorMean = mean(errors);
  const truthMean = mean(truth);
  let errorVariance = 0;
  let truthVariance = 0;
  for (let i = 0; i < truth.length; i++) {
    errorVariance += ((errors[i] as number) - errorMean) ** 2;
    truthVariance += ((truth[i] as number) - truthMean) ** 2;
  }
  return oneMinusRatio(errorVariance / truth.length, truthVariance / truth.length);
}

/**
 * `auc`: the area under the ROC curve of the predictions as scores for the 0/1 labels, i.e. the probability that
 * a random positive outscores a random negative, ties counting one half (`sklearn.metrics.roc_auc_score`).
 * Computed from average ranks (Mann-Whitney). Undefined without both labels.
 */
export function areaUnderRoc(labels: Uint8Array, predicted: Float64Array): number | undefined {
  const order = Array.from(predicted.keys()).sort(
    (a, b) => (predicted[a] as number) - (predicted[b] as number),
  );
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && predicted[order[end] as number] === predicted[order[start] as number]) end++;
    const averageRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) {
      if (labels[order[i] as number] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** scikit-learn clips probabilities to [ε, 1 − ε] with ε the float64 machine epsilon. */
const EPSILON = 2 ** -52;

/** `logloss`: −mean(y ln p + (1 − y) ln(1 − p)), p clipped as scikit-learn's `log_loss` clips it. */
export function logLoss(labels: Uint8Array, probabilities: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(Math.max(probabilities[i] as number, EPSILON), 1 - EPSILON);
    sum += labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return -sum / labels.length;
}
