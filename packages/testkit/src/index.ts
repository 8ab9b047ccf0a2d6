export * from './repo';
export * from './runner';
export * from './services/availability';
export * from './assertions';
export * from './certificate';
export * from './random';
export * from './action-context';
export * from './report-corpus';
