import { echoingMessage } from '../assertions';
import { runAction, type ActionRun, type RunActionOptions } from '../runner';
import { startGitHubEmulator } from './emulator';

/**
 * Runs an action on a pull request whose first GitHub call is refused with a 403 that echoes `token` back, as
 * some API errors and proxies do; check the result with `expectEchoedTokenMasked`.
 */
export async function runWithEchoingGitHub(
  options: RunActionOptions & { token: string },
): Promise<ActionRun> {
  const github = await startGitHubEmulator();
  try {
    github.failNext(1, 403, { message: echoingMessage(options.token) });
    return await runAction({
      event: { name: 'pull_request', payload: { pull_request: { number: 7 } } },
      ...options,
      env: { ...options.env, GITHUB_API_URL: github.url },
    });
  } finally {
    await github.close();
  }
}
