import { isProfileWorker, serveProfileRequest } from '@recsys-actions/drift';
import { runAction } from '@recsys-actions/runtime';
import { checkDrift } from './check-drift';

// This bundle is also the script of the thread that profiles the reference, so it serves that request instead.
if (isProfileWorker()) await serveProfileRequest();
else await runAction('drift-check', (ctx) => checkDrift(ctx, new URL(import.meta.url)));
