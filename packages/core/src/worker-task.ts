import type * as NodeWorkerThreads from 'node:worker_threads';
import { ConfigError, DataError, InputError, UserFacingError } from './errors';

/**
 * Work one script hands to a copy of itself on a worker thread, so a second core reads one file while this one
 * reads another. A worker runs a script file; an action's bundle holds every task it hands out, so the bundle is
 * the worker's script, and its entry point serves the task (with {@link serveWorkerTask}) instead of running the
 * action when {@link isWorkerTaskThread} says it was started as a worker.
 */
export interface WorkerTask<Request, Result, Wire = Result> {
  /** Names the task in the worker's data, so one script can serve several tasks. */
  readonly name: string;
  /**
   * On the worker: does the work. Returns what crosses back and the buffers to move rather than copy, so a
   * large typed array is handed over, never held twice.
   */
  perform(request: Request): Promise<{ wire: Wire; transfer: ArrayBuffer[] }>;
  /** On the calling thread: rebuilds the result from what crossed (a structured clone drops classes). */
  revive(wire: Wire): Result;
  /**
   * Caps the worker's young generation (MiB), for a task that keeps its data in typed arrays and allocates
   * little on the heap: V8's default lets it grow to tens of MiB, resident for as long as the worker runs.
   */
  readonly youngGenerationMb?: number;
}

/** The worker's data names its task; the request comes as the first message, so a worker can start before it. */
interface TaskData {
  readonly role: typeof ROLE;
  readonly task: string;
}

const ROLE = 'recsys-actions-worker-task';

// node:worker_threads takes 5-9 ms to load, which every action's cold start paid at import (the core barrel
// re-exports this file); only a run that hands out a task needs it. A worker is told it is one by an extra
// argument in its process.argv, so asking never loads the module.
const workerThreads = (): typeof NodeWorkerThreads => process.getBuiltinModule('node:worker_threads');

/** An error as it crosses the thread boundary: its class's name and the fields that class is built from. */
interface WireError {
  readonly name: string;
  readonly message: string;
  readonly userFacing: boolean;
  readonly stack?: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

type Reply<Wire> =
  { readonly ok: true; readonly wire: Wire } | { readonly ok: false; readonly error: WireError };

/**
 * The script an action's workers run, given the `import.meta.url` of its run.ts: the action's bundle, where every
 * module is that one file; from source (under local-action) main.ts beside run.ts, its entry point.
 */
export function actionWorkerScript(runModuleUrl: string): URL {
  return new URL(runModuleUrl.endsWith('/run.ts') ? './main.ts' : runModuleUrl);
}

/** True in a thread started by {@link startWorker}: the script must call {@link serveWorkerTask}. */
export function isWorkerTaskThread(): boolean {
  if (!process.argv.includes(ROLE)) return false;
  const { isMainThread, workerData } = workerThreads();
  return !isMainThread && (workerData as Partial<TaskData> | null)?.role === ROLE;
}

/**
 * The worker's side: waits for its request, performs the task it was started for and posts the result (or the
 * error) back.
 */
export async function serveWorkerTask(tasks: readonly WorkerTask<never, unknown, unknown>[]): Promise<void> {
  const { workerData, parentPort } = workerThreads();
  const { task: name } = workerData as TaskData;
  const request = await new Promise((resolve) => parentPort?.once('message', resolve));
  let reply: Reply<unknown>;
  let transfer: ArrayBuffer[] = [];
  try {
    const task = tasks.find((candidate) => candidate.name === name);
    if (task === undefined) throw new Error(`This script serves no worker task named '${name}'.`);
    const done = await task.perform(request as never);
    reply = { ok: true, wire: done.wire };
    transfer = done.transfer;
  } catch (error) {
    reply = { ok: false, error: wireError(error) };
  }
  parentPort?.postMessage(reply, transfer);
}

/**
 * Performs `task` on a worker thread started from `script`. The worker keeps the process alive until it replies
 * (unref'd, the process could end while the caller awaits it), so when the caller fails first the exit waits for
 * the task, no longer than doing it on this thread would have taken.
 */
export function runInWorker<Request, Result, Wire>(
  script: string | URL,
  task: WorkerTask<Request, Result, Wire>,
  request: Request,
): Promise<Result> {
  return startWorker(script, task).run(request);
}

/** A worker thread started ahead of its request. */
export interface StartedWorker<Request, Result> {
  /** Hands the worker its request (once) and resolves to the task's result, as {@link runInWorker} does. */
  run(request: Request): Promise<Result>;
  /** Ends the worker if it was never given a request: the work that needed it failed before. */
  stopIdle(): void;
}

/**
 * Starts a worker thread for `task` now, so its start-up (a new isolate loading the script) overlaps the caller's
 * work until the request is ready. Idle, the worker does not keep the process alive.
 */
export function startWorker<Request, Result, Wire>(
  script: string | URL,
  task: WorkerTask<Request, Result, Wire>,
): StartedWorker<Request, Result> {
  const data: TaskData = { role: ROLE, task: task.name };
  const resourceLimits =
    task.youngGenerationMb === undefined ? {} : { maxYoungGenerationSizeMb: task.youngGenerationMb };
  const worker = new (workerThreads().Worker)(script, { workerData: data, argv: [ROLE], resourceLimits });
  worker.unref();
  let requested = false;
  const result = new Promise<Result>((resolve, reject) => {
    worker.once('message', (reply: Reply<Wire>) => {
      if (!reply.ok) reject(revivedError(reply.error));
      else {
        try {
          resolve(task.revive(reply.wire));
        } catch (error) {
          reject(error);
        }
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`The worker thread of '${task.name}' exited (code ${code}) without a result.`)),
    );
  });
  // A worker that fails to start before it is asked for anything must not be an unhandled rejection.
  result.catch(() => undefined);
  return {
    run(request) {
      requested = true;
      worker.ref();
      worker.postMessage(request);
      return result;
    },
    stopIdle() {
      if (!requested) void worker.terminate();
    },
  };
}

function wireError(error: unknown): WireError {
  const { name, message, stack } = error instanceof Error ? error : new Error(String(error));
  const fields: Record<string, unknown> = {};
  if (error instanceof DataError) Object.assign(fields, { file: error.file, location: error.location });
  if (error instanceof InputError) Object.assign(fields, { input: error.input, example: error.example });
  if (error instanceof InputError || error instanceof DataError) fields.problem = error.problem;
  // A problem may be a function of the field namer, which cannot cross: it crosses told with the package's names.
  if (error instanceof ConfigError)
    Object.assign(fields, { field: error.field, problem: error.describe((f) => f), example: error.example });
  return {
    name,
    message,
    userFacing: error instanceof UserFacingError,
    ...(stack === undefined ? {} : { stack }),
    fields,
  };
}

/**
 * The error as its own class where the caller may tell it by class (an input's name is mapped from a ConfigError's
 * field, a DataError names its file): a user-facing error keeps its one line; anything else stays a bug, with the
 * worker's stack.
 */
function revivedError({ name, message, userFacing, stack, fields }: WireError): Error {
  const text = (key: string) => fields[key] as string;
  const optional = (key: string) => fields[key] as string | undefined;
  let error: Error;
  if (name === 'DataError')
    error = new DataError(text('file'), text('problem'), fields.location as DataError['location']);
  else if (name === 'InputError') error = new InputError(text('input'), text('problem'), optional('example'));
  else if (name === 'ConfigError')
    error = new ConfigError(text('field'), text('problem'), optional('example'));
  else error = userFacing ? new UserFacingError(message) : new Error(message);
  error.name = name;
  if (stack !== undefined) error.stack = stack;
  return error;
}
