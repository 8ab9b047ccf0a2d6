/** The few issue calls a tracking issue needs; the action runtime adapts Octokit to it. */
export interface TrackingIssuesApi {
  /** Every open issue (pull requests excluded) carrying all of `labels`, across all pages. */
  listOpen(labels: string[]): Promise<{ number: number; body?: string | null }[]>;
  create(issue: { title: string; body: string; labels: string[] }): Promise<{ number: number }>;
  comment(issueNumber: number, body: string): Promise<void>;
  close(issueNumber: number): Promise<void>;
}

export interface TrackingIssueUpdate {
  /** From {@link hiddenMarker}, e.g. `hiddenMarker('drift', environment, dataset)`. */
  marker: string;
  /** Set on a new issue and used to find the open one, which also keeps issues others opened out of reach. */
  labels: string[];
  /** Whether the tracked problem is present on this run. */
  present: boolean;
  title: string;
  /** Today's findings: the body of a new issue, or a comment on the open one. */
  findings: string;
  /** The comment that closes the issue once the problem is gone. */
  resolution: string;
}

export type TrackingIssueOutcome =
  { action: 'opened' | 'commented' | 'closed'; issueNumber: number } | { action: 'none' };

/**
 * Keeps one open issue per marker: opens it when the problem first appears, adds a comment on each later run
 * that still sees it (so the history stays readable in the thread), and closes it when a run no longer does.
 * Should two open issues carry the marker (two runs racing), the oldest is the one commented on and a
 * resolution closes them all.
 */
export async function syncTrackingIssue(
  api: TrackingIssuesApi,
  update: TrackingIssueUpdate,
): Promise<TrackingIssueOutcome> {
  const open = (await api.listOpen(update.labels))
    .filter((issue) => issue.body?.includes(update.marker))
    .sort((a, b) => a.number - b.number);
  const oldest = open[0];
  if (update.present) {
    if (oldest) {
      await api.comment(oldest.number, update.findings);
      return { action: 'commented', issueNumber: oldest.number };
    }
    const created = await api.create({
      title: update.title,
      body: `${update.marker}\n${update.findings}`,
      labels: update.labels,
    });
    return { action: 'opened', issueNumber: created.number };
  }
  if (!oldest) return { action: 'none' };
  for (const issue of open) {
    await api.comment(issue.number, update.resolution);
    await api.close(issue.number);
  }
  return { action: 'closed', issueNumber: oldest.number };
}
