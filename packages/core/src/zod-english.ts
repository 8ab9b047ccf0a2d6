// zod/mini, which the structured inputs, the canary checks, the quality-gate rules and the report envelope use
// (CONTRIBUTING.md, "Cold start"), loads no messages of its own: without this every problem would read "Invalid
// input". Classic zod sets the same English messages when it loads. Imported for this effect alone by
// structured-input.ts and report.ts, which every zod/mini schema's errors pass through; package.json names this
// file in `sideEffects` so that the bundler keeps it.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
