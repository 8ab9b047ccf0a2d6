export * from './events';
export * from './ledger';
export * from './file-ledger';
export * from './github-ledger';
export * from './queries';
export * from './transitions';
export * from './registry';
