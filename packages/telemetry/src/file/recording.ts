import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DataError, lazily } from '@recsys-actions/core';
import { z } from 'zod';
import type { Role } from '../metric-source';

const sampleSchema = lazily(() =>
  z.object({
    t: z.number(),
    role: z.enum(['canary', 'baseline']),
    series: z.string().min(1),
    value: z.number(),
  }),
);

/** One series of one role, sorted by time; samples with equal times keep their file order. */
export interface SampleTrack {
  readonly times: readonly number[];
  readonly values: readonly number[];
}

/** A replayable recording, indexed by series name, then role. */
export interface Recording {
  readonly file: string;
  track(series: string, role: Role): SampleTrack | undefined;
  seriesNames(): string[];
}

const LINE_EXAMPLE = '{"t": 12.5, "role": "canary", "series": "requests_total", "value": 40}';

/** Reads a JSONL recording in one pass; `file` is also the name shown in errors. */
export async function loadRecording(file: string): Promise<Recording> {
  const samples = new Map<string, Record<Role, { time: number; value: number }[]>>();
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      const sample = parseSampleLine(file, line, lineNumber);
      let byRole = samples.get(sample.series);
      if (!byRole) {
        byRole = { canary: [], baseline: [] };
        samples.set(sample.series, byRole);
      }
      byRole[sample.role].push({ time: sample.t, value: sample.value });
    }
  } catch (error) {
    if (isFileSystemError(error)) throw new DataError(file, `cannot be read (${error.code})`);
    throw error;
  }
  return indexRecording(file, samples);
}

function parseSampleLine(
  file: string,
  line: string,
  lineNumber: number,
): z.infer<ReturnType<typeof sampleSchema>> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new DataError(file, `is not valid JSON; each line holds one sample such as ${LINE_EXAMPLE}`, {
      line: lineNumber,
    });
  }
  const parsed = sampleSchema().safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  const problem = field
    ? `field '${field}': ${issue?.message ?? 'is invalid'}`
    : `must be an object such as ${LINE_EXAMPLE}`;
  throw new DataError(file, problem, { line: lineNumber });
}

function indexRecording(
  file: string,
  samples: Map<string, Record<Role, { time: number; value: number }[]>>,
): Recording {
  const tracks = new Map<string, Record<Role, SampleTrack>>();
  for (const [series, byRole] of samples) {
    tracks.set(series, { canary: toTrack(byRole.canary), baseline: toTrack(byRole.baseline) });
  }
  return {
    file,
    track: (series, role) => tracks.get(series)?.[role],
    seriesNames: () => [...tracks.keys()].sort(),
  };
}

function toTrack(samples: { time: number; value: number }[]): SampleTrack {
  // Array.prototype.sort is stable, which keeps "last sample wins" well defined for equal times.
  const sorted = samples.sort((a, b) => a.time - b.time);
  return { times: sorted.map((s) => s.time), values: sorted.map((s) => s.value) };
}

// Duck-typed: errors from node:fs may come from another realm (jest's VM), where instanceof Error fails.
function isFileSystemError(error: unknown): error is { code: string } {
  return (
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
  );
}
