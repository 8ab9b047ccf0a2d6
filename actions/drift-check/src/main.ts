import { isWorkerTaskThread, serveWorkerTask } from '@recsys-actions/core';
import { run } from './run';

// This bundle is also the script of the thread that profiles the reference, so it serves that task instead. The
// task's code is loaded there only, as run() loads the rest of the action only once its inputs are read.
await (isWorkerTaskThread()
  ? import('@recsys-actions/drift').then(({ profileTask }) => serveWorkerTask([profileTask]))
  : run());
