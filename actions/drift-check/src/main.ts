import { isWorkerTaskThread, serveWorkerTask } from '@recsys-actions/core';
import { profileTask } from '@recsys-actions/drift';
import { run } from './run';

// This bundle is also the script of the thread that profiles the reference, so it serves that task instead.
await (isWorkerTaskThread() ? serveWorkerTask([profileTask]) : run());
