import {
  advance,
  createFileLedger,
  EMPTY_RELEASE_STATE,
  type Ledger,
  type ReleaseState,
  type StepResult,
} from '@recsys-actions/ledger';
import { allTrafficTo, canarySplit, type Split } from '@recsys-actions/traffic';

const MINUTE_MS = 60_000;

export interface StepTiming {
  /** When the step begins (its intent), ISO. */
  at: string;
  /** Minutes until its outcome; the outcome is left out (unfinished) when null. */
  minutes?: number | null;
  result?: StepResult;
  commitSha?: string;
  actor?: string;
}

/**
 * Writes a journal the way the release steps do (begin with the state so far, finish), with the times given,
 * through the ledger package itself: tests and benchmarks generate ledgers without writing its format. The state
 * is kept here (as reading it back would give it), so writing costs no reads; `clock` is told each entry's time,
 * for an emulator that stamps what it stores.
 */
export class JournalWriter {
  private split: Split | null = null;
  private state: ReleaseState = EMPTY_RELEASE_STATE;
  private count = 0;

  constructor(
    readonly ledger: Ledger,
    private readonly clock: (at: Date) => void = () => {},
    /** Moves every time by this much, to replay a dated scenario relative to now. */
    private readonly shiftMs = 0,
  ) {}

  static file(workspace: string, environment: string, path?: string): JournalWriter {
    return new JournalWriter(createFileLedger({ workspace, environment, ...(path ? { path } : {}) }));
  }

  /** The first release, or a promotion of the running canary: `version` takes all traffic. */
  promote(version: string, timing: StepTiming): Promise<void> {
    const stable = this.split?.targets.find((target) => target.version !== version)?.version;
    return this.step('shift', version, allTrafficTo(version), timing, stable ? { stable } : {});
  }

  canary(version: string, weight: number, timing: StepTiming): Promise<void> {
    const stable = this.split?.targets.find((target) => target.version !== version)?.version ?? 'v0';
    return this.step('shift', version, canarySplit(stable, version, weight), timing, { stable });
  }

  rollback(to: string, leaving: string[], timing: StepTiming): Promise<void> {
    return this.step('rollback', to, allTrafficTo(to), timing, { leaving, reason: 'errors doubled' });
  }

  private async step(
    step: 'shift' | 'rollback',
    version: string,
    to: Split,
    timing: StepTiming,
    extra: { stable?: string; leaving?: string[]; reason?: string },
  ): Promise<void> {
    this.count += 1;
    const key = `run-${this.count}:${step}:${version}`;
    const actor = timing.actor ?? 'alice';
    const runUrl = `https://github.com/acme/recs/actions/runs/${this.count}`;
    const startedAt = new Date(Date.parse(timing.at) + this.shiftMs);
    this.clock(startedAt);
    const begun = await this.ledger.begin({
      type: 'intent',
      key,
      step,
      version,
      from: this.split,
      to,
      ...extra,
      ...(timing.commitSha ? { commitSha: timing.commitSha } : {}),
      before: this.state,
      actor,
      runUrl,
      timestamp: startedAt.toISOString(),
    });
    if (timing.minutes === null) return;
    const result = timing.result ?? 'applied';
    const finished = new Date(startedAt.getTime() + (timing.minutes ?? 1) * MINUTE_MS);
    this.clock(finished);
    const timestamp = finished.toISOString();
    await this.ledger.finish(begun, { type: 'outcome', key, result, actor, runUrl, timestamp });
    if (result === 'applied' || result === 'unchanged') {
      this.split = to;
      this.state = advance(this.state, begun.intent);
    }
  }
}
