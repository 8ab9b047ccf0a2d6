import {
  parseReport,
  shiftTrafficDetailsSchema,
  type ActionName,
  type Report,
  type ReportInput,
} from '@recsys-actions/core';

const links = {
  repository: 'https://github.com/acme/recs',
  run: 'https://github.com/acme/recs/actions/runs/9876543210',
  commit: 'https://github.com/acme/recs/commit/4f2a9c1e0b7d',
  pullRequest: 'https://github.com/acme/recs/pull/128',
};

const base = {
  schemaVersion: 1,
  environment: 'production',
  model: { version: 'ranker-v42', baselineVersion: 'ranker-v41' },
  startedAt: '2026-05-12T09:30:00.000Z',
  finishedAt: '2026-05-12T09:34:12.000Z',
  links,
} as const;

/** One action's report input without the fields `base` fills in; distributes over the envelope's members. */
type SampleInput = ReportInput extends infer Member
  ? Member extends ReportInput
    ? Omit<Member, 'schemaVersion' | 'startedAt' | 'finishedAt'>
    : never
  : never;

function report(input: SampleInput): Report {
  return parseReport({ ...base, ...input });
}

/** One realistic report per action, as each suite action writes it. */
export const SAMPLE_REPORTS: Record<ActionName, Report> = {
  'validate-model': report({
    action: 'validate-model',
    verdict: 'fail',
    title: '2 critical checks failed for ranker-v42',
    checks: [
      {
        name: 'ndcg@10',
        status: 'fail',
        severity: 'critical',
        value: 0.4012,
        baseline: 0.4331,
        threshold: '≥ 0.42',
      },
      {
        name: 'recall@50',
        status: 'fail',
        severity: 'critical',
        value: 0.611,
        baseline: 0.652,
        threshold: '≥ baseline × 0.98',
      },
      { name: 'catalog_coverage', status: 'warn', severity: 'warning', value: 0.21, threshold: '≥ 0.25' },
      { name: 'mrr', status: 'pass', value: 0.31, threshold: '≥ 0.3' },
      { name: 'p99_scoring_ms', status: 'pass', value: 41, threshold: '≤ 50' },
    ],
    notes: ['Evaluated on 120,000 held-out sessions from 2026-05-01 to 2026-05-07.'],
    details: {
      metrics: {
        'ndcg@10': 0.4012,
        'recall@50': 0.611,
        catalog_coverage: 0.21,
        mrr: 0.31,
        p99_scoring_ms: 41,
      },
      baseline: { 'ndcg@10': 0.4331, 'recall@50': 0.652 },
      counts: null,
      failOn: 'critical',
    },
  }),
  'canary-gate': report({
    action: 'canary-gate',
    verdict: 'rollback',
    title: 'Canary ranker-v42 raised p95 latency by 38% over 30 minutes',
    checks: [
      {
        name: 'p95_latency_ms',
        status: 'fail',
        severity: 'critical',
        value: 212,
        baseline: 153.4,
        threshold: '≤ baseline × 1.2',
        message: 'Mann-Whitney p = 0.0004',
      },
      { name: 'ctr', status: 'pass', value: 0.0412, baseline: 0.0405, threshold: '≥ baseline × 0.97' },
      { name: 'error_rate', status: 'pass', value: 0.0011, baseline: 0.001, threshold: '≤ 0.005' },
    ],
    details: {
      analysis: 'sequential',
      evidence: {},
      intervals: [],
      reason: 'p95_latency_ms is higher on the canary (e-value 41 ≥ 20)',
    },
  }),
  'drift-check': report({
    action: 'drift-check',
    verdict: 'drift',
    title: '3 of 24 feature columns drifted since training',
    checks: [
      { name: 'user_country', status: 'warn', value: 0.31, threshold: 'PSI ≤ 0.2' },
      { name: 'item_category', status: 'warn', value: 0.27, threshold: 'PSI ≤ 0.2' },
      { name: 'session_length', status: 'warn', value: 0.22, threshold: 'PSI ≤ 0.2' },
    ],
    details: {
      dataset: 'features',
      driftShare: 0.125,
      driftedColumns: ['user_country', 'item_category', 'session_length'],
      columns: [{ column: 'user_country' }, { column: 'item_category' }, { column: 'session_length' }],
      prediction: null,
      quality: [],
      rows: { reference: 120000, current: 9800 },
      profileSource: 'cache',
      issueNumber: 17,
    },
    notes: ['Reference window: training snapshot 2026-04-28.'],
  }),
  rollback: report({
    action: 'rollback',
    verdict: 'rolled-back',
    title: 'Production rolled back from ranker-v42 to ranker-v41',
    details: {
      from: 'ranker-v42',
      fromVersions: ['ranker-v42'],
      to: 'ranker-v41',
      reason: 'canary-gate verdict: p95 latency regression',
      healthBefore: null,
      healthAfter: null,
      durationMs: 840,
      previousSplit: {
        targets: [
          { version: 'ranker-v41', weight: 75 },
          { version: 'ranker-v42', weight: 25 },
        ],
      },
      split: { targets: [{ version: 'ranker-v41', weight: 100 }] },
      router: 'file traffic/production.json',
      ledger: 'file .recsys/ledger/production.jsonl',
      already: null,
      journal: { key: 'run-41:rollback:0a1b2c3d4e5f6a7b', outcome: 'applied', reconciled: [] },
    },
  }),
  'shift-traffic': report({
    action: 'shift-traffic',
    verdict: 'shifted',
    title: 'ranker-v42 now serves 25% of production traffic',
    // Parsed through the schema shift-traffic's report follows, so a key the action does not write fails here.
    details: shiftTrafficDetailsSchema().parse({
      previousSplit: {
        targets: [
          { version: 'ranker-v41', weight: 90 },
          { version: 'ranker-v42', weight: 10 },
        ],
        stickiness: 'user',
      },
      split: {
        targets: [
          { version: 'ranker-v41', weight: 75 },
          { version: 'ranker-v42', weight: 25 },
        ],
        stickiness: 'user',
      },
      changed: true,
      router: 'file traffic/production.json',
      ledger: 'file .recsys/ledger/production.jsonl',
      repeated: false,
      stable: 'ranker-v41',
      journal: { key: 'run-41:shift-traffic:0a1b2c3d4e5f6a7b', outcome: 'applied', reconciled: [] },
    }),
  }),
  'notify-slack': report({
    action: 'notify-slack',
    verdict: 'sent',
    title: 'Posted the canary verdict to #ml-deploys',
    model: {},
    details: { attempts: 1, ts: '1715506452.000100', dryRun: false },
  }),
  'deployment-report': report({
    action: 'deployment-report',
    verdict: 'warn',
    title: 'production over 28 days: 3 promotions, 2 of 4 releases rolled back; 2 metrics below high',
    model: {},
    checks: [
      { name: 'production: deployment frequency', status: 'warn', value: 0.75, threshold: 'high or better' },
      { name: 'production: change failure rate', status: 'warn', value: 50, threshold: 'high or better' },
    ],
    details: {
      window: { since: '2026-04-14T09:30:00.000Z', until: '2026-05-12T09:30:00.000Z', days: 28 },
      dora: {
        name: 'Accelerate State of DevOps Report 2023',
        year: 2023,
        url: 'https://dora.dev/research/2023/dora-report/',
      },
      minBand: 'high',
      ledger: 'file .recsys/ledger/production.jsonl',
      environments: [
        {
          environment: 'production',
          deployments: 3,
          deploymentsPerDay: 3 / 28,
          deploymentsPerWeek: 0.75,
          leadTime: { count: 3, median: 90_000_000, p90: 225_360_000, withoutCommit: 0 },
          changeFailureRate: { failed: 2, settled: 4, rate: 0.5 },
          timeToRestore: { count: 2, median: 44_280_000, p90: 78_216_000 },
          inProgress: 0,
          revertedRollbacks: 0,
          bands: {
            deploymentFrequency: 'medium',
            leadTime: 'high',
            changeFailureRate: 'low',
            timeToRestore: 'high',
          },
        },
      ],
      belowMinBand: [
        { environment: 'production', metric: 'deploymentFrequency', band: 'medium' },
        { environment: 'production', metric: 'changeFailureRate', band: 'low' },
      ],
      history: [],
      weeks: [],
    },
  }),
};
