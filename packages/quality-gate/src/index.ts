export * from './rules';
export * from './evaluate';
export * from './fingerprint';
export * from './metrics-file';
