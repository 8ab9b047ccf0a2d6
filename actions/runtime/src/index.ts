export * from './run';
export * from './context';
export * from './github';
export * from './api-retry';
export * from './github-errors';
