import { isWorkerTaskThread, serveWorkerTask } from '@recsys-actions/core';
import { run } from './run';

// This bundle is also the script of the threads that read the recommendation files, so it serves their tasks instead.
// The tasks' code is loaded there only, as run() loads the rest of the action only once its inputs are read.
await (isWorkerTaskThread()
  ? import('@recsys-actions/recsys-eval').then(({ EVALUATION_WORKER_TASKS }) =>
      serveWorkerTask(EVALUATION_WORKER_TASKS),
    )
  : run());
