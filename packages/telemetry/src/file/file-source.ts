import { ConfigError, lazily, resolveWorkspaceFile } from '@recsys-actions/core';
import { z } from 'zod';
import type { IntervalWindow, MetricSource, SeriesQuery } from '../metric-source';
import { parseSourceSchema, type MetricSourceBackend } from '../source-backend';
import { loadRecording, type Recording, type SampleTrack } from './recording';

export const fileSourceConfigSchema = lazily(() =>
  z.strictObject({
    source: z.literal('file'),
    /** The JSONL recording, resolved inside the workspace by configure(). */
    path: z.string().min(1),
  }),
);
export type FileSourceConfig = z.infer<ReturnType<typeof fileSourceConfigSchema>>;

/**
 * Replays a recorded canary run with no waiting. A window (start, end] takes the samples with
 * start < t <= end, so a sample stamped exactly on a boundary belongs to the interval it closes, the same
 * way a Prometheus evaluation at the interval's end sees it. Versions and environments are not looked at:
 * a recording holds one run, told apart only by role.
 */
export async function openFileSource(config: FileSourceConfig): Promise<MetricSource> {
  const recording = await loadRecording(config.path);
  return {
    realtime: false,
    validate: (expression, field) => assertSeriesRecorded(recording, expression, field),
    read: async (query, window) => aggregate(recording.track(query.expression, query.role), query, window),
  };
}

const EXAMPLE = '{ source: file, path: recordings/canary.jsonl }';

/** The recording replayer, as registered under `file`. It needs no credentials and refuses any. */
export const fileMetricSource: MetricSourceBackend<FileSourceConfig> = {
  type: 'file',
  example: EXAMPLE,
  configure(raw, { name, workspace, credentials }) {
    if (credentials.bearerToken || credentials.basicAuth) {
      throw new ConfigError(
        'credentials',
        'only applies to source prometheus; a recording needs no credentials',
      );
    }
    const path =
      typeof raw.path === 'string'
        ? resolveWorkspaceFile(name, raw.path, workspace, { example: "'path: recordings/canary.jsonl'" })
        : raw.path;
    return parseSourceSchema(fileSourceConfigSchema(), { ...raw, path }, name, EXAMPLE);
  },
  credentials: () => [],
  open: openFileSource,
};

function assertSeriesRecorded(recording: Recording, series: string, field: string): void {
  const known = recording.seriesNames();
  if (known.includes(series)) return;
  const holds = known.length === 0 ? 'holds no samples' : `holds ${known.join(', ')}`;
  throw new ConfigError(
    field,
    `names the series '${series}', which the recording ${recording.file} does not contain (it ${holds})`,
    known[0] ?? 'requests_total',
  );
}

function aggregate(
  track: SampleTrack | undefined,
  query: SeriesQuery,
  window: IntervalWindow,
): number | undefined {
  if (!track) return undefined;
  const from = firstIndexAfter(track.times, window.startSeconds);
  const to = firstIndexAfter(track.times, window.endSeconds);
  if (from === to) return undefined;
  if (query.aggregation === 'last') return track.values[to - 1];
  let total = 0;
  for (let i = from; i < to; i += 1) total += track.values[i] ?? 0;
  return total;
}

/** Binary search: the index of the first time strictly greater than `bound` (times.length if none). */
function firstIndexAfter(times: readonly number[], bound: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((times[middle] ?? Infinity) <= bound) low = middle + 1;
    else high = middle;
  }
  return low;
}
