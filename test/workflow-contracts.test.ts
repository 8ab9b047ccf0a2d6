// The reusable workflows and the starter templates are wired to each other and to the actions by name; these
// tests make a renamed or missing input, output, secret or action fail here rather than in a user's run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from '@recsys-actions/testkit';

interface Declaration {
  required?: boolean;
  default?: unknown;
}
interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, unknown> | string;
  steps?: Step[];
}
interface Workflow {
  on?: {
    workflow_call?: {
      inputs?: Record<string, Declaration>;
      secrets?: Record<string, Declaration>;
      outputs?: Record<string, unknown>;
    };
    schedule?: { cron: string }[];
  };
  jobs: Record<string, Job>;
}

const root = repoRoot();
const REPO = 'org/recsys-actions/';
const yamlIn = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => `${dir}/${name}`);
const load = <T>(file: string) => parseYaml(readFileSync(join(root, file), 'utf8')) as T;
const reusable = yamlIn('.github/workflows').filter((file) => load<Workflow>(file).on?.workflow_call);
const templates = yamlIn('workflows-templates');

/** Resolves `uses:` to a file of this repository: an action's action.yml or a reusable workflow. */
function target(uses: string): { kind: 'action' | 'workflow'; file: string } | undefined {
  const local = /^\.\/(\.github\/workflows\/[^@]+)$/.exec(uses);
  if (local?.[1]) return { kind: 'workflow', file: local[1] };
  if (!uses.startsWith(REPO)) return undefined;
  const path = uses.slice(REPO.length).replace(/@.*$/, '');
  return path.startsWith('.github/workflows/')
    ? { kind: 'workflow', file: path }
    : { kind: 'action', file: `actions/${path}/action.yml` };
}

function declaredInputs(ref: { kind: 'action' | 'workflow'; file: string }): Record<string, Declaration> {
  if (ref.kind === 'action') return load<{ inputs?: Record<string, Declaration> }>(ref.file).inputs ?? {};
  return load<Workflow>(ref.file).on?.workflow_call?.inputs ?? {};
}

function expectWiredCorrectly(uses: string, given: Record<string, unknown> = {}, secrets?: Job['secrets']) {
  const ref = target(uses);
  if (!ref) return;
  expect({ uses, exists: existsSync(join(root, ref.file)) }).toEqual({ uses, exists: true });
  const inputs = declaredInputs(ref);
  for (const key of Object.keys(given))
    expect({ uses, input: key, declared: key in inputs }).toEqual({ uses, input: key, declared: true });
  for (const [key, declaration] of Object.entries(inputs)) {
    if (declaration.required && declaration.default === undefined) {
      expect({ uses, requiredInput: key, given: key in given }).toEqual({
        uses,
        requiredInput: key,
        given: true,
      });
    }
  }
  if (ref.kind === 'workflow') {
    expect(secrets).not.toBe('inherit');
    const declaredSecrets = load<Workflow>(ref.file).on?.workflow_call?.secrets ?? {};
    for (const key of Object.keys(typeof secrets === 'object' ? secrets : {})) {
      expect({ uses, secret: key, declared: key in declaredSecrets }).toEqual({
        uses,
        secret: key,
        declared: true,
      });
    }
  }
}

describe.each([...reusable, ...templates])('%s', (file) => {
  it('uses only actions and workflows of this repository that exist, with declared inputs and secrets', () => {
    const workflow = load<Workflow>(file);
    let wired = 0;
    for (const job of Object.values(workflow.jobs)) {
      if (job.uses) {
        expectWiredCorrectly(job.uses, job.with, job.secrets);
        wired += 1;
      }
      for (const step of job.steps ?? []) {
        if (step.uses && target(step.uses)) {
          expectWiredCorrectly(step.uses, step.with);
          wired += 1;
        }
      }
    }
    expect(wired).toBeGreaterThan(0);
  });
});

describe.each(reusable)('reusable workflow %s', (file) => {
  it('exposes its verdict and report as outputs', () => {
    const outputs = load<Workflow>(file).on?.workflow_call?.outputs ?? {};
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['verdict', 'report']));
  });
});

describe('starter templates', () => {
  it.each(templates)('%s has a properties file for the template chooser', (file) => {
    const properties = JSON.parse(
      readFileSync(join(root, file.replace(/\.ya?ml$/, '.properties.json')), 'utf8'),
    );
    expect(properties).toEqual({
      name: expect.any(String),
      description: expect.any(String),
      iconName: expect.any(String),
      categories: expect.arrayContaining([expect.any(String)]),
    });
  });

  it('cover every reusable workflow', () => {
    const called = templates.map((file) => Object.values(load<Workflow>(file).jobs)[0]?.uses ?? '');
    for (const workflow of reusable) expect(called.some((uses) => uses.includes(workflow))).toBe(true);
  });

  it('keep the schedules: weekly training Sundays 02:00, drift daily 06:00, the report Mondays 08:00', () => {
    const cron = (file: string) =>
      load<Workflow>(`workflows-templates/${file}`).on?.schedule?.map((s) => s.cron);
    expect(cron('recsys-weekly-training.yml')).toEqual(['0 2 * * 0']);
    expect(cron('recsys-daily-drift.yml')).toEqual(['0 6 * * *']);
    expect(cron('recsys-weekly-report.yml')).toEqual(['0 8 * * 1']);
  });
});

interface DeployJob extends Job {
  if?: string;
  outputs?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  steps?: (Step & { name?: string; run?: string; env?: Record<string, string> })[];
}
interface DeployWorkflow {
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, DeployJob>;
}

describe('releases and rollbacks', () => {
  const release = load<DeployWorkflow>('.github/workflows/canary-release.yml');
  const manual = load<DeployWorkflow>('.github/workflows/manual-rollback.yml');
  const rollbackGroup = { group: 'recsys-rollback-${{ inputs.environment }}', 'cancel-in-progress': false };

  // GitHub keeps one pending run per group and replaces it with a newer one: in a shared group a release
  // could silently replace a pending rollback.
  it('give rollbacks a concurrency group of their own, never the release group', () => {
    expect(manual.concurrency).toEqual(rollbackGroup);
    expect(release.jobs.rollback?.concurrency).toEqual(rollbackGroup);
    expect(release.concurrency).toEqual({
      group: 'recsys-release-${{ inputs.environment }}',
      'cancel-in-progress': false,
    });
  });

  it('roll a failed or a cancelled canary release back', () => {
    const condition = release.jobs.rollback?.if ?? '';
    expect(condition).toContain('failure() || cancelled()');
    expect(condition).toContain("needs.release.result == 'cancelled'");
  });
});

describe('report handoff between jobs', () => {
  // A report-path names a file on the machine that wrote it; another job runs elsewhere, so only the report's
  // JSON text (the `report` output) can cross jobs.
  it.each(reusable)('%s passes reports across jobs as the JSON text, never as a path', (file) => {
    const workflow = load<DeployWorkflow>(file);
    for (const [name, job] of Object.entries(workflow.jobs)) {
      for (const value of Object.values(job.outputs ?? {}))
        expect({ job: name, output: value }).toEqual({
          job: name,
          output: expect.not.stringContaining('report-path'),
        });
      for (const step of job.steps ?? []) {
        const report = String(step.with?.report ?? '');
        if (step.uses?.includes('notify-slack') && report.includes('needs.'))
          expect({ job: name, report }).toEqual({
            job: name,
            report: expect.not.stringContaining('report-path'),
          });
      }
    }
  });
});

describe('model-ci', () => {
  // validate-model computes rmse and mae only from rating predictions; a threshold on them without the file
  // fails every run.
  it('passes rating predictions to validate-model, and the starter gives them with its rmse threshold', () => {
    const validate = load<DeployWorkflow>('.github/workflows/model-ci.yml').jobs.validate?.steps?.find(
      (step) => step.uses?.includes('validate-model'),
    );
    expect(validate?.with?.['rating-predictions']).toBe('${{ inputs.rating-predictions }}');
    const starter = load<DeployWorkflow>('workflows-templates/recsys-model-ci.yml').jobs['model-ci'];
    expect(String(starter?.with?.thresholds)).toMatch(/^rmse:/m);
    expect(starter?.with?.['rating-predictions']).toEqual(expect.any(String));
  });
});

describe('weekly-training Slack settings', () => {
  const steps = load<DeployWorkflow>('.github/workflows/weekly-training.yml').jobs.train?.steps ?? [];
  const check = steps.find((step) => step.name === 'Check the Slack settings');

  it('are checked first, before hours of training', () => {
    expect(steps[0]).toBe(check);
    expect(check?.env).toEqual({
      HAS_SLACK_TOKEN: "${{ secrets.slack-token != '' }}",
      SLACK_CHANNEL: '${{ inputs.slack-channel }}',
    });
  });

  const cases: [string, { HAS_SLACK_TOKEN: string; SLACK_CHANNEL: string }, number, RegExp | undefined][] = [
    [
      'a token without a channel',
      { HAS_SLACK_TOKEN: 'true', SLACK_CHANNEL: '' },
      1,
      /^::error::Input 'slack-channel' is empty/,
    ],
    [
      'a channel without a token',
      { HAS_SLACK_TOKEN: 'false', SLACK_CHANNEL: 'C0123' },
      1,
      /^::error::Secret 'slack-token' is empty/,
    ],
    ['both', { HAS_SLACK_TOKEN: 'true', SLACK_CHANNEL: 'C0123' }, 0, undefined],
    ['neither', { HAS_SLACK_TOKEN: 'false', SLACK_CHANNEL: '' }, 0, undefined],
  ];
  it.each(cases)('with %s, the check exits as expected', (_, env, exitCode, error) => {
    const run = spawnSync('bash', ['-e', '-c', check?.run ?? 'exit 99'], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
    });
    expect(run.status).toBe(exitCode);
    if (error) expect(run.stdout).toMatch(error);
    else expect(run.stdout).toBe('');
  });

  it('reach canary-release with the router settings', () => {
    const called = load<DeployWorkflow>('.github/workflows/weekly-training.yml').jobs.release?.with ?? {};
    for (const input of ['router', 'router-config', 'ledger', 'slack-channel'])
      expect({ input, value: called[input] }).toEqual({ input, value: `\${{ inputs.${input} }}` });
  });
});
