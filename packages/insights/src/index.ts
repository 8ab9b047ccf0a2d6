export * from './bands';
export * from './releases';
export * from './metrics';
export * from './insights';
export * from './report-parts';
export * from './quantile';
export * from './commit-times';
