import { tmpdir } from 'node:os';
import { NOTIFY_INPUT_SPECS, credentialsOf, readNotifyOptions, secretStrings } from '@recsys-actions/slack';
import { runAction, type ActionContext } from '@recsys-actions/runtime';

/** The action's entry point, called by main.ts (and by `@github/local-action`, which needs this export). */
export function run(): Promise<void> {
  return runAction('notify-slack', sendNotification);
}

/**
 * Posts or updates the Slack message rendered from a report, or a plain text message. With `errors: false`
 * nothing about the notification fails the step, not even a bad input: these steps run `if: always()` after a
 * release or rollback, and a failing message must not turn that job red (canary-release would roll back).
 */
export async function sendNotification(ctx: ActionContext<'notify-slack'>): Promise<void> {
  // Masked before anything else runs, so no later log line or error can show them.
  ctx.mask(ctx.read('webhook-url'));
  ctx.mask(ctx.read('webhook'));
  ctx.mask(ctx.read('token'));
  const failOnError = NOTIFY_INPUT_SPECS.errors.parse(ctx.read('errors').trim());
  try {
    await notify(ctx);
  } catch (error) {
    if (failOnError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const warning = `Slack message not sent (errors: false): ${reason}`;
    ctx.warning(warning);
    ctx.setOutputs({ ok: false });
    await ctx.publish({ verdict: 'warn', title: warning, details: { attempts: 0, ts: null, dryRun: false } });
  }
}

async function notify(ctx: ActionContext<'notify-slack'>): Promise<void> {
  const options = await readNotifyOptions(ctx.read, {
    workspace: ctx.run.workspace,
    // Where the actions write their reports when no report-path is given (see the runtime's publish).
    runnerTemp: process.env.RUNNER_TEMP || tmpdir(),
    links: { run: ctx.run.runUrl, commit: ctx.run.commitUrl, pullRequest: ctx.run.pullRequest?.url },
    job: ctx.run.job,
    runId: ctx.run.runId,
  });
  if (options.destination)
    for (const secret of secretStrings(credentialsOf(options.destination))) ctx.mask(secret);

  // The renderers, the Slack clients and the report are loaded only once the inputs are known to be good, so that
  // a mistyped input fails in a fraction of a second (pnpm bench:startup).
  const { notifySlack } = await import('@recsys-actions/slack');
  const result = await notifySlack(options);
  if (result.warning) ctx.warning(result.warning);
  ctx.setOutputs({
    ok: result.ok,
    ts: result.ts,
    channel: result.channel,
    'thread-ts': result.threadTs ?? result.ts,
    // slack-github-action v2's output names, for workflows that move over.
    channel_id: result.channel,
    thread_ts: result.threadTs ?? result.ts,
    'payload-path': result.payloadPath,
  });
  const where = options.dryRun
    ? `written to ${ctx.read('dry-run')} (dry run)`
    : `sent${result.channel ? ` to ${result.channel}` : ''}`;
  await ctx.publish({
    verdict: result.ok ? 'sent' : 'warn',
    title: result.ok ? `Slack message ${where}.` : (result.warning ?? 'Slack message not sent.'),
    details: { attempts: result.attempts, ts: result.ts ?? null, dryRun: options.dryRun },
  });
}
