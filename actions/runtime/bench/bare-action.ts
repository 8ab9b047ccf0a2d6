// The floor an action built on @actions/core cannot go below: read one input, fail on it. Bundled with ncc by
// the startup benchmark, as the actions are.
import * as core from '@actions/core';

core.setFailed(`Input 'x' is invalid: got '${core.getInput('x')}'`);
