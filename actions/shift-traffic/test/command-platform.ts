import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A team's own scripts for a platform the suite has no router for: the live split is `platform/live.json`,
 * which set-split.sh replaces from the file it is given (after checking RECSYS_SPLIT says the same; with a
 * rename, so a kill never leaves half a file) and get-split.sh prints.
 */
export const PLATFORM_SCRIPTS = {
  'deploy/set-split.sh': [
    'set -e',
    'test "$RECSYS_SPLIT" = "$(cat "$RECSYS_SPLIT_FILE")"',
    'echo "set $RECSYS_ENVIRONMENT to $RECSYS_SPLIT"',
    'cp "$RECSYS_SPLIT_FILE" platform/live.json.next',
    'mv platform/live.json.next platform/live.json',
    '',
  ].join('\n'),
  'deploy/get-split.sh': 'cat platform/live.json\n',
  'platform/live.json': JSON.stringify({ targets: [{ version: 'v1', weight: 100 }], stickiness: 'request' }),
};

export const COMMAND_ROUTER = {
  router: 'command',
  'router-config': '{ apply-command: bash deploy/set-split.sh, observe-command: bash deploy/get-split.sh }',
};

export const liveSplit = (workspace: string) =>
  JSON.parse(readFileSync(join(workspace, 'platform', 'live.json'), 'utf8')) as unknown;
