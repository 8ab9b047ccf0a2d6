import {
  InputError,
  booleanInput,
  choiceInput,
  listInput,
  numberInput,
  optionalText,
  textInput,
  readInputs,
  resolveWorkspaceOutput,
  type InputReader,
} from '@recsys-actions/core';
import { parseMentions } from './escape';
import { SLACK_API_URL } from './endpoint';
import type { Destination, MessageSource, NotifyOptions } from './notify';
import { STATUSES } from './status-message';

/** How each notify-slack input is read; the repository's action-defaults test holds fallbacks to action.yml. */
export const NOTIFY_INPUT_SPECS = {
  webhookUrl: optionalText('webhook-url', '${{ secrets.SLACK_WEBHOOK_URL }}'),
  // slackapi/slack-github-action v2's names, accepted as they mean the same here.
  webhook: optionalText('webhook', '${{ secrets.SLACK_WEBHOOK_URL }}'),
  webhookType: optionalText('webhook-type', 'incoming-webhook'),
  token: optionalText('token', '${{ secrets.SLACK_BOT_TOKEN }}'),
  channel: optionalText('channel', 'C0123ABCD'),
  threadTs: optionalText('thread-ts', '1712345678.000100'),
  updateTs: optionalText('update-ts', '1712345678.000100'),
  apiUrl: textInput('slack-api-url', SLACK_API_URL),
  report: optionalText('report', '${{ steps.gate.outputs.report }}'),
  status: optionalText('status', 'failure'),
  title: optionalText('title', 'Nightly retrain finished'),
  text: optionalText('text', 'Offline metrics are in the job summary.'),
  fields: optionalText('fields', '{ dataset: clicks-2026-05, rows: "1.2M" }'),
  mention: optionalText('mention-on-failure', '<!subteam^S0123ABCD>'),
  retries: numberInput('retries', { fallback: 3, min: 0, max: 10, integer: true, example: '3' }),
  errors: booleanInput('errors', true),
  dryRun: optionalText('dry-run', 'slack-payload.json'),
  allowedHosts: listInput('allowed-hosts', 'slack-proxy.example.com'),
};

export interface ReadContext {
  workspace: string;
  /**
   * The runner's temporary folder (RUNNER_TEMP). Actions write their reports there when no `report-path` is
   * given, so a report path may point into it as well as into the workspace; nowhere else.
   */
  runnerTemp?: string;
  /** Links to this run, commit and PR for status messages (reports carry their own). */
  links?: { run?: string; commit?: string; pullRequest?: string };
  /** GITHUB_JOB and GITHUB_RUN_ID, named in the message sent when no report reached the step. */
  job?: string;
  runId?: string;
  /**
   * See {@link NotifyOptions.allowInsecureLoopback}. The notify-slack action never sets it, so a real run always
   * needs an https endpoint; only this package's own tests turn it on to post to a local server.
   */
  allowInsecureLoopback?: boolean;
}

/**
 * Reads and cross-checks the notify-slack inputs; every problem is an InputError naming the input. The report and
 * `fields` are parsed by a module loaded only when one is given (zod and the YAML parser with it), after the plain
 * inputs are known to be good (CONTRIBUTING.md, "Cold start").
 */
export async function readNotifyOptions(read: InputReader, context: ReadContext): Promise<NotifyOptions> {
  const raw = readInputs(NOTIFY_INPUT_SPECS, read);
  return {
    destination: raw.dryRun && !raw.webhookUrl && !raw.webhook && !raw.token ? undefined : destination(raw),
    source: await source(raw, context),
    mentions: raw.mention ? parseMentions(raw.mention) : [],
    failOnError: raw.errors,
    dryRun: raw.dryRun !== undefined,
    payloadPath:
      raw.dryRun && resolveWorkspaceOutput('dry-run', raw.dryRun, context.workspace, 'slack-payload.json'),
    retry: { retries: raw.retries },
    allowedHosts: raw.allowedHosts,
    allowInsecureLoopback: context.allowInsecureLoopback,
  };
}

type RawInputs = ReturnType<typeof readInputs<typeof NOTIFY_INPUT_SPECS>>;

/** `webhook-url`, or slack-github-action v2's `webhook` with its `webhook-type`. */
function webhookUrlOf(raw: RawInputs): string | undefined {
  if (raw.webhookType !== undefined && raw.webhookType !== 'incoming-webhook')
    throw new InputError(
      'webhook-type',
      `must be incoming-webhook, got '${raw.webhookType}': this action posts messages, it does not start Workflow Builder workflows`,
      'incoming-webhook',
    );
  if (raw.webhook && raw.webhookUrl && raw.webhook !== raw.webhookUrl)
    throw new InputError('webhook', "and 'webhook-url' name the same thing: set one of them", "''");
  return raw.webhookUrl ?? raw.webhook;
}

function destination(raw: RawInputs): Destination {
  const webhookUrl = webhookUrlOf(raw);
  if (webhookUrl && raw.token)
    throw new InputError('token', "cannot be combined with 'webhook-url': use one of the two modes", "''");
  if (webhookUrl) {
    for (const [name, value] of [
      ['channel', raw.channel],
      ['thread-ts', raw.threadTs],
      ['update-ts', raw.updateTs],
    ] as const)
      if (value) throw new InputError(name, "needs 'token': a webhook always posts to its own channel");
    return { kind: 'webhook', url: webhookUrl };
  }
  if (!raw.token)
    throw new InputError(
      'webhook-url',
      "and 'token' are both empty: set one of them",
      NOTIFY_INPUT_SPECS.webhookUrl.example,
    );
  if (!raw.channel)
    throw new InputError('channel', "is required with 'token'", NOTIFY_INPUT_SPECS.channel.example);
  return {
    kind: 'bot',
    token: raw.token,
    channel: raw.channel,
    threadTs: raw.threadTs,
    updateTs: raw.updateTs,
    apiUrl: raw.apiUrl,
  };
}

async function source(raw: RawInputs, context: ReadContext): Promise<MessageSource> {
  if (raw.report) {
    // `status` may stay beside a report (the report's verdict wins): it is there for when no report comes.
    const conflict = (['title', 'text', 'fields'] as const).find((name) => raw[name]);
    if (conflict)
      throw new InputError(conflict, "cannot be combined with 'report', which supplies the message");
    const { readReport } = await import('./structured-inputs');
    return { kind: 'report', report: readReport(raw.report, context) };
  }
  if (!raw.title) return fallbackSource(raw, context);
  const status = choiceInput('status', STATUSES, 'info').parse(raw.status ?? '');
  return {
    kind: 'status',
    status: { status, title: raw.title, text: raw.text, fields: await fields(raw), links: context.links },
  };
}

async function fields(raw: RawInputs): Promise<Record<string, string> | undefined> {
  if (!raw.fields) return undefined;
  const { parseFields } = await import('./structured-inputs');
  return parseFields(raw.fields);
}

/**
 * Neither a report nor a title: most often an `if: always()` step after one that failed before writing its
 * report. The failure is the news, so a message naming the job, the run and the status goes out anyway.
 */
async function fallbackSource(raw: RawInputs, context: ReadContext): Promise<MessageSource> {
  const status = choiceInput('status', STATUSES, 'info').parse(raw.status ?? '');
  const job = context.job ? `Job ${context.job}` : 'A job';
  const run = context.runId ? ` of run ${context.runId}` : '';
  return {
    kind: 'status',
    status: {
      status,
      title: `${job}${run}: ${status}`,
      text:
        raw.text ??
        'No report reached this step: the step that writes it may have stopped before it could. The run has the details.',
      fields: await fields(raw),
      links: context.links,
    },
  };
}
