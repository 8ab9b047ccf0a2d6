export {
  DEFAULT_DRIFT_SHARE,
  DEFAULT_PREDICTION_COLUMN,
  DRIFT_METHODS,
  QUALITY_KINDS,
  SENSITIVITY,
  validateDriftOptions,
  EXACT_MAX_VALUES,
  type DriftMethod,
  type DriftOptions,
  type QualityKind,
  type Sensitivity,
} from './options';
export {
  mergeDatasetProfiles,
  profileDataset,
  type CategoricalColumnProfile,
  type ColumnProfile,
  type DatasetProfile,
  type NumericColumnProfile,
} from './profile';
export { deserializeProfile, PROFILE_FORMAT, PROFILE_FORMAT_VERSION, serializeProfile } from './serialize';
export { readProfileFiles } from './profile-files';
export { rankErrorEpsilon, DEFAULT_SKETCH_K } from './sketch/quantile-sketch';
export { CATEGORY_LIMIT } from './sketch/category-sketch';
export { profileInWorker, profileTask } from './profile-worker';
export { compareProfiles, detectDrift, type DriftResult } from './detect';
export type { ColumnDrift } from './column-drift';
export type { DriftHistogram } from './histogram';
export type { QualityFinding } from './quality';
export { driftChecks, driftRule } from './checks';
