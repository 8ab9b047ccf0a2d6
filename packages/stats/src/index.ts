export { SortedSample, type NumericSample } from './sample';
export { sortFloat64InPlace } from './sort-floats';
export { logGamma, regularizedGammaP, regularizedGammaQ } from './special/gamma';
export { normalCdf, normalSf } from './distributions/normal';
export { chiSquareCdf, chiSquareSf } from './distributions/chi-square';
export { kolmogorovCdf, kolmogorovSf } from './distributions/kolmogorov';
export { kolmogorovNCdf, kolmogorovNSf } from './distributions/kolmogorov-n';
export { smirnovSf } from './distributions/smirnov';
export { ksTwoSample, KS_EXACT_MAX_SIZE, type KsTwoSampleResult } from './hypothesis/ks-two-sample';
export { chiSquareContingency, type ChiSquareResult } from './hypothesis/chi-square-contingency';
export { chiSquareGoodnessOfFit, type GoodnessOfFitResult } from './hypothesis/chi-square-goodness-of-fit';
export {
  twoProportionZTest,
  type ProportionCount,
  type TwoProportionResult,
} from './hypothesis/two-proportion';
export {
  categoryShares,
  distinctUnion,
  fillZeroShares,
  hellingerShares,
  histogramCounts,
  MAX_DISTINCT_FOR_VALUE_BINS,
  numericShares,
  sturgesEdges,
  sturgesEdgesOf,
  type BinLayout,
  type BinnedShares,
  type ShareOptions,
} from './binning';
export {
  hellingerDistance,
  jensenShannonDistance,
  klDivergence,
  populationStabilityIndex,
} from './distances';
export {
  MIN_REFERENCE_STD,
  normalizedWassersteinDistance,
  standardDeviation,
  wassersteinDistance,
} from './wasserstein';
export {
  mergeCategoryProfiles,
  mergeProfiles,
  profileCategories,
  profileNumeric,
  type CategoryProfile,
  type NumericProfile,
} from './profile';
export { SeededRandom } from './resampling/seeded-random';
export { relativeChange, type PairedSample, type ResamplingOptions } from './resampling/paired-sample';
export { columnSums, pairedColumns, type PairedColumns, type PairedInput } from './resampling/paired-columns';
export {
  bootstrapChanges,
  bootstrapFromChanges,
  checkConfidence,
  pairedBootstrap,
  type BootstrapOptions,
  type ResampleRange,
  type ConfidenceInterval,
  type PairedBootstrapResult,
} from './resampling/paired-bootstrap';
export { pairedSignFlipTest, SIGN_FLIP_EXACT_MAX_USERS, type SignFlipResult } from './hypothesis/sign-flip';
export { holmAdjust } from './hypothesis/holm';
