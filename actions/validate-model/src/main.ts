import { isWorkerTaskThread, serveWorkerTask } from '@recsys-actions/core';
import { EVALUATION_WORKER_TASKS } from '@recsys-actions/recsys-eval';
import { run } from './run';

// This bundle is also the script of the threads that read the recommendation files, so it serves their tasks instead.
await (isWorkerTaskThread() ? serveWorkerTask(EVALUATION_WORKER_TASKS) : run());
