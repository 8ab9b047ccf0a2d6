// The runner's side of a step, written here rather than through @actions/core: that package loads its HTTP
// client (and undici with it) at import, which alone cost ~100 ms and ~20 MiB of every action's cold start
// while no action used its HTTP parts. The formats are GitHub's documented workflow commands and environment
// files (docs.github.com, "Workflow commands for GitHub Actions").
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';

/** Command data: `%`, CR and LF are the three characters the runner decodes. */
function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function issue(command: string, message: string): void {
  process.stdout.write(`::${command}::${escapeData(message)}${EOL}`);
}

/** An input as the runner passes it: `INPUT_<NAME>` with spaces as underscores, trimmed; '' when unset. */
export function readInput(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return (env[`INPUT_${name.replaceAll(' ', '_').toUpperCase()}`] ?? '').trim();
}

/** Text as the runner stores an output: strings as they are, anything else as JSON. */
function outputText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Appends one output to GITHUB_OUTPUT as a heredoc, so any value (multi-line JSON included) survives. The
 * delimiter is random, and a value that contains it is refused rather than allowed to end the heredoc early.
 */
export function writeOutput(name: string, value: unknown): void {
  const text = outputText(value);
  const file = process.env.GITHUB_OUTPUT;
  if (!file) {
    // Outside a runner (or an old one): the deprecated stdout form, which the runner still reads.
    process.stdout.write(`${EOL}::set-output name=${name}::${escapeData(text)}${EOL}`);
    return;
  }
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  if (name.includes(delimiter) || text.includes(delimiter)) {
    throw new Error(`output ${name} contains its own delimiter`);
  }
  appendFileSync(file, `${name}<<${delimiter}${EOL}${text}${EOL}${delimiter}${EOL}`, 'utf8');
}

/** Asks the runner to replace `secret` with *** in every later log line. */
export function maskSecret(secret: string): void {
  issue('add-mask', secret);
}

export function logInfo(message: string): void {
  process.stdout.write(`${message}${EOL}`);
}

export function logDebug(message: string): void {
  issue('debug', message);
}

export function logWarning(message: string): void {
  issue('warning', message);
}

export function startGroup(title: string): void {
  issue('group', title);
}

export function endGroup(): void {
  issue('endgroup', '');
}

/** Folds what `body` logs into a collapsed group, closed even when the body throws. */
export async function inGroup<T>(title: string, body: () => Promise<T>): Promise<T> {
  startGroup(title);
  try {
    return await body();
  } finally {
    endGroup();
  }
}

/** The step's one error line, and a failing exit once the process ends. */
export function failStep(message: string): void {
  process.exitCode = 1;
  issue('error', message);
}

/** Appends Markdown to the job summary, when the runner gives the step one. */
export function appendJobSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, markdown, 'utf8');
}
