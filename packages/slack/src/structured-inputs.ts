// The notify-slack inputs that hold structured text, `report` and `fields`: loaded by inputs.ts only when one is
// given, since it brings zod (the report envelope's schema) and the YAML parser.
import * as z from 'zod/mini';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  InputError,
  describeZodError,
  isInside,
  parseYamlWith,
  reportSchema,
  type Report,
} from '@recsys-actions/core';
import { NOTIFY_INPUT_SPECS, type ReadContext } from './inputs';

const scalar = z.pipe(z.union([z.string(), z.number(), z.boolean()]), z.transform(String));
const fieldMap = z.record(z.string(), scalar, { error: 'must be a YAML map of names to values' });

/** The `fields` input: a YAML map of names to scalar values, each shown as text. */
export function parseFields(text: string): Record<string, string> {
  return parseYamlWith('fields', text, fieldMap, NOTIFY_INPUT_SPECS.fields.example);
}

/** `report` is either a report's JSON text (any action's `report` output) or the path of a report file. */
export function readReport(value: string, context: ReadContext): Report {
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
