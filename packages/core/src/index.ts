export * from './errors';
export * from './atomic-file';
export * from './file-hash';
export * from './inputs';
export * from './structured-input';
export * from './workspace';
export * from './report';
export * from './report-sections';
export * from './format';
export * from './markdown';
export * from './marker';
export * from './sticky-comment';
export * from './tracking-issue';
export * from './exec';
export * from './report-paired';
export * from './crypto';
export * from './lazily';
export {
  actionWorkerScript,
  isWorkerTaskThread,
  runInWorker,
  serveWorkerTask,
  startWorker,
  type StartedWorker,
} from './worker-task';
export type { WorkerTask } from './worker-task';
