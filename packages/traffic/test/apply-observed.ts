import type { Router, Split } from '../src/index';

/** Applies `split` over whatever the router observes now, as a caller holding the step lock does. */
export async function applyObserved(router: Router, split: Split) {
  return router.apply(split, { expected: await router.observe() });
}
