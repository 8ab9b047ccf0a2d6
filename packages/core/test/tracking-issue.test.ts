import {
  syncTrackingIssue,
  hiddenMarker,
  stickyMarker,
  type TrackingIssuesApi,
  type TrackingIssueUpdate,
} from '../src/index';

interface StoredIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  comments: string[];
}

/** Issues kept in memory, filtered as GitHub's list endpoint filters them (open, carrying every label). */
class InMemoryIssues implements TrackingIssuesApi {
  readonly issues: StoredIssue[] = [];

  seed(issue: Partial<StoredIssue> & { body: string }): StoredIssue {
    const stored: StoredIssue = {
      number: this.issues.length + 1,
      title: 'seeded',
      labels: [],
      state: 'open',
      comments: [],
      ...issue,
    };
    this.issues.push(stored);
    return stored;
  }

  async listOpen(labels: string[]) {
    return this.issues
      .filter((issue) => issue.state === 'open' && labels.every((label) => issue.labels.includes(label)))
      .map(({ number, body }) => ({ number, body }));
  }

  async create(issue: { title: string; body: string; labels: string[] }) {
    return this.seed(issue);
  }

  async comment(issueNumber: number, body: string) {
    this.get(issueNumber).comments.push(body);
  }

  async close(issueNumber: number) {
    this.get(issueNumber).state = 'closed';
  }

  get(issueNumber: number): StoredIssue {
    const issue = this.issues.find((candidate) => candidate.number === issueNumber);
    if (!issue) throw new Error(`no issue #${issueNumber}`);
    return issue;
  }

  open(): StoredIssue[] {
    return this.issues.filter((issue) => issue.state === 'open');
  }
}

const update = (present: boolean, overrides: Partial<TrackingIssueUpdate> = {}): TrackingIssueUpdate => ({
  marker: hiddenMarker('drift', 'production', 'features'),
  labels: ['drift'],
  present,
  title: 'Data drift in production/features',
  findings: present ? 'price drifted' : '',
  resolution: 'No drift any more.',
  ...overrides,
});

describe('syncTrackingIssue', () => {
  it('opens one labelled issue, comments on it while the problem lasts and closes it once gone', async () => {
    const api = new InMemoryIssues();

    expect(await syncTrackingIssue(api, update(true))).toEqual({ action: 'opened', issueNumber: 1 });
    expect(api.get(1)).toMatchObject({
      title: 'Data drift in production/features',
      labels: ['drift'],
      body: '<!-- recsys-actions:drift:production:features -->\nprice drifted',
    });

    const later = update(true, { findings: 'price and age drifted' });
    expect(await syncTrackingIssue(api, later)).toEqual({ action: 'commented', issueNumber: 1 });
    expect(await syncTrackingIssue(api, later)).toEqual({ action: 'commented', issueNumber: 1 });
    expect(api.issues).toHaveLength(1);
    expect(api.get(1).comments).toEqual(['price and age drifted', 'price and age drifted']);

    expect(await syncTrackingIssue(api, update(false))).toEqual({ action: 'closed', issueNumber: 1 });
    expect(api.get(1).state).toBe('closed');
    expect(api.get(1).comments.at(-1)).toBe('No drift any more.');
  });

  it('does nothing when the problem is absent and no issue is open', async () => {
    const api = new InMemoryIssues();
    expect(await syncTrackingIssue(api, update(false))).toEqual({ action: 'none' });
    expect(api.issues).toEqual([]);
  });

  it('opens a fresh issue after the previous one was closed', async () => {
    const api = new InMemoryIssues();
    await syncTrackingIssue(api, update(true));
    await syncTrackingIssue(api, update(false));
    expect(await syncTrackingIssue(api, update(true))).toEqual({ action: 'opened', issueNumber: 2 });
    expect(api.open().map((issue) => issue.number)).toEqual([2]);
  });

  it('keeps datasets and environments apart by their markers', async () => {
    const api = new InMemoryIssues();
    const features = update(true);
    const clicks = update(true, { marker: hiddenMarker('drift', 'production', 'clicks') });
    const staging = update(true, { marker: hiddenMarker('drift', 'staging', 'features') });
    await syncTrackingIssue(api, features);
    await syncTrackingIssue(api, clicks);
    await syncTrackingIssue(api, staging);
    expect(api.open()).toHaveLength(3);

    expect(await syncTrackingIssue(api, { ...clicks, present: false })).toEqual({
      action: 'closed',
      issueNumber: 2,
    });
    expect(api.open().map((issue) => issue.number)).toEqual([1, 3]);
    expect(api.get(1).comments).toEqual([]);
    expect(api.get(3).comments).toEqual([]);
  });

  it('does not mistake a dataset whose name extends another for it', async () => {
    const api = new InMemoryIssues();
    await syncTrackingIssue(
      api,
      update(true, { marker: hiddenMarker('drift', 'production', 'features-v2') }),
    );
    expect(await syncTrackingIssue(api, update(true))).toEqual({ action: 'opened', issueNumber: 2 });
  });

  it('only considers open issues carrying every label', async () => {
    const api = new InMemoryIssues();
    const marker = hiddenMarker('drift', 'production', 'features');
    api.seed({ body: `${marker}\nunlabelled copy someone pasted`, labels: [] });
    api.seed({ body: `${marker}\nclosed long ago`, labels: ['drift', 'ml'], state: 'closed' });

    const labelled = update(true, { labels: ['drift', 'ml'] });
    expect(await syncTrackingIssue(api, labelled)).toEqual({ action: 'opened', issueNumber: 3 });
    expect(api.get(3).labels).toEqual(['drift', 'ml']);
    expect(api.get(1).comments).toEqual([]);
  });

  it('comments on the oldest of racing duplicates and closes them all once resolved', async () => {
    const api = new InMemoryIssues();
    const marker = hiddenMarker('drift', 'production', 'features');
    api.seed({ body: `${marker}\nfirst`, labels: ['drift'] });
    api.seed({ body: `${marker}\nsecond`, labels: ['drift'] });

    expect(await syncTrackingIssue(api, update(true))).toEqual({ action: 'commented', issueNumber: 1 });
    expect(api.get(2).comments).toEqual([]);
    expect(await syncTrackingIssue(api, update(false))).toEqual({ action: 'closed', issueNumber: 1 });
    expect(api.open()).toEqual([]);
  });
});

describe('stickyMarker', () => {
  it('keeps the markers of comments already on GitHub and shares the hidden-marker encoding', () => {
    expect(stickyMarker('validate-model')).toBe('<!-- recsys-actions:validate-model -->');
    expect(stickyMarker('canary-gate:production')).toBe(hiddenMarker('canary-gate', 'production'));
    expect(stickyMarker('canary-gate:production')).toBe('<!-- recsys-actions:canary-gate:production -->');
    expect(stickyMarker('canary-gate:prod --> <b>')).toBe(
      '<!-- recsys-actions:canary-gate:prod%20-%2D%3E%20%3Cb%3E -->',
    );
  });
});

describe('hiddenMarker', () => {
  it('reads as kind:environment:dataset', () => {
    expect(hiddenMarker('drift', 'production', 'features')).toBe(
      '<!-- recsys-actions:drift:production:features -->',
    );
  });

  it('cannot be closed early, spread into HTML or collide through separators', () => {
    const hostile = hiddenMarker('drift', 'prod --> <img src=x> @octo-org/admins --!>', '[x](https://evil)');
    const inner = hostile.slice('<!-- '.length, -' -->'.length);
    expect(inner).not.toMatch(/--|[<>!@\s[\]]/);
    expect(hostile).toMatch(/^<!-- recsys-actions:drift:[^:]+:[^:]+ -->$/);
    expect(hiddenMarker('drift', 'a:b', 'c')).not.toBe(hiddenMarker('drift', 'a', 'b:c'));
  });
});
