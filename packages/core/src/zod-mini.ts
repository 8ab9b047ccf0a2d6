// zod/mini for what a step reads before anything else: its inputs. The one module of core with a side effect
// (package.json names it, so that the bundler keeps it). Classic zod attaches every method to every
// schema, so a bundle cannot leave any of it out (~110 KB that each bad input waited for); zod/mini is the same
// validator as plain functions. It loads no messages of its own, so English is set here: without it every
// problem would read "Invalid input". Classic zod sets the same English messages when it loads.
import en from 'zod/v4/locales/en.js';
import * as z from 'zod/mini';

z.config(en());

export { z };
