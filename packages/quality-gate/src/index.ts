export * from './rules';
export * from './evaluate';
export * from './fingerprint';
export * from './model-size';
export * from './metrics-file';
export * from './verdict';
export * from './evidence';
