export * from './events';
export * from './state';
export * from './journal';
export * from './ledger';
export * from './file-ledger';
export * from './github-ledger';
export * from './registry';
