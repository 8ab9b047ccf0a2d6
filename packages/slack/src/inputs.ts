import * as z from 'zod/mini';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  InputError,
  booleanInput,
  choiceInput,
  describeZodError,
  isInside,
  listInput,
  numberInput,
  optionalText,
  textInput,
  parseYamlWith,
  readInputs,
  reportSchema,
  resolveWorkspaceOutput,
  type InputReader,
  type Report,
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

/** Reads and cross-checks the notify-slack inputs; every problem is an InputError naming the input. */
export function readNotifyOptions(read: InputReader, context: ReadContext): NotifyOptions {
  const raw = readInputs(NOTIFY_INPUT_SPECS, read);
  return {
    destination: raw.dryRun && !raw.webhookUrl && !raw.webhook && !raw.token ? undefined : destination(raw),
    source: source(raw, context),
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

function source(raw: RawInputs, context: ReadContext): MessageSource {
  if (raw.report) {
    // `status` may stay beside a report (the report's verdict wins): it is there for when no report comes.
    const conflict = (['title', 'text', 'fields'] as const).find((name) => raw[name]);
    if (conflict)
      throw new InputError(conflict, "cannot be combined with 'report', which supplies the message");
    return { kind: 'report', report: readReport(raw.report, context) };
  }
  if (!raw.title) return fallbackSource(raw, context);
  return {
    kind: 'status',
    status: {
      status: choiceInput('status', STATUSES, 'info').parse(raw.status ?? ''),
      title: raw.title,
      text: raw.text,
      fields: raw.fields
        ? parseYamlWith('fields', raw.fields, fieldMap, NOTIFY_INPUT_SPECS.fields.example)
        : undefined,
      links: context.links,
    },
  };
}

/**
 * Neither a report nor a title: most often an `if: always()` step after one that failed before writing its
 * report. The failure is the news, so a message naming the job, the run and the status goes out anyway.
 */
function fallbackSource(raw: RawInputs, context: ReadContext): MessageSource {
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
      fields: raw.fields
        ? parseYamlWith('fields', raw.fields, fieldMap, NOTIFY_INPUT_SPECS.fields.example)
        : undefined,
      links: context.links,
    },
  };
}

const scalar = z.pipe(z.union([z.string(), z.number(), z.boolean()]), z.transform(String));
const fieldMap = z.record(z.string(), scalar, { error: 'must be a YAML map of names to values' });

/** `report` is either a report's JSON text (any action's `report` output) or the path of a report file. */
function readReport(value: string, context: ReadContext): Report {
  const document = value.startsWith('{') ? parseReportText(value) : parseReportFile(value, context);
  const parsed = reportSchema().safeParse(document);
  if (!parsed.success) throw reportError(`is not a suite report: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

function parseReportText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw reportError(
      `starts with '{' but is not valid JSON (${reason}); pass an action's report output unchanged, or a report file path`,
    );
  }
}

function parseReportFile(value: string, context: ReadContext): unknown {
  const path = reportFile(value, context);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw reportError(`is not a JSON file ('${value}')`);
  }
}

/**
 * Resolves a report path (relative ones against the workspace) and accepts it only when it really lies, links
 * followed, inside the workspace or the runner's temporary folder: a workflow input must not make the action
 * read, and send to Slack, any other file of the runner.
 */
function reportFile(value: string, context: ReadContext): string {
  const path = resolve(context.workspace, value);
  const real = realLocation(path);
  const roots = [context.workspace, context.runnerTemp].filter((root): root is string => Boolean(root));
  if (!roots.some((root) => isInside(realLocation(root), real)))
    throw reportError(
      `points outside the workspace and RUNNER_TEMP ('${value}'); give a report path from an action's report-path output, or its report output (the JSON text)`,
    );
  if (!existsSync(path)) throw reportError(`names a file that does not exist ('${value}')`);
  if (statSync(path).isDirectory()) throw reportError(`names a directory, expected a file ('${value}')`);
  return path;
}

/** Where the path leads with every link followed; a path that does not resolve is judged as written. */
function realLocation(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function reportError(problem: string): InputError {
  return new InputError('report', problem, NOTIFY_INPUT_SPECS.report.example);
}
