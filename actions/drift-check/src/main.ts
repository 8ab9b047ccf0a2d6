import { isProfileWorker, serveProfileRequest } from '@recsys-actions/drift';
import { run } from './run';

// This bundle is also the script of the thread that profiles the reference, so it serves that request instead.
await (isProfileWorker() ? serveProfileRequest() : run());
