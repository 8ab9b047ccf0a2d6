// The copy-paste examples of the READMEs: every ```yaml block parses, and every step that uses one of the suite's
// actions passes only inputs that action declares and every input it requires, so a renamed or misspelled input
// in an example fails here rather than in a user's workflow.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readActionManifest, repoRoot } from '@recsys-actions/testkit';
import { readmeYamlBlocks } from './support/readme-blocks';

const ROOT = repoRoot();
const ACTIONS = readdirSync(join(ROOT, 'actions')).filter((name) => name !== 'runtime');
const READMES = ['README.md', ...ACTIONS.map((name) => `actions/${name}/README.md`)];

interface ExampleStep {
  readme: string;
  action: string;
  with: Record<string, unknown>;
}

/** Every mapping with `uses: <owner>/recsys-actions/<action>@<ref>` anywhere in a document. */
function suiteSteps(node: unknown, readme: string): ExampleStep[] {
  if (Array.isArray(node)) return node.flatMap((item) => suiteSteps(item, readme));
  if (!node || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  const uses = typeof record.uses === 'string' ? /\/recsys-actions\/([a-z-]+)@/.exec(record.uses) : null;
  const own = uses?.[1]
    ? [{ readme, action: uses[1], with: (record.with ?? {}) as Record<string, unknown> }]
    : [];
  return [...own, ...Object.values(record).flatMap((value) => suiteSteps(value, readme))];
}

const blocks = READMES.flatMap((readme) =>
  readmeYamlBlocks(readme).map((yaml, i) => [`${readme} #${i + 1}`, yaml] as const),
);
const steps = blocks.flatMap(([name, yaml]) => suiteSteps(parseYaml(yaml), name));

describe('README examples', () => {
  it.each(blocks)('%s is valid YAML', (_name, yaml) => {
    expect(() => parseYaml(yaml)).not.toThrow();
  });

  it('use every action', () => {
    expect(new Set(steps.map((step) => step.action))).toEqual(new Set(ACTIONS));
  });

  it.each(steps.map((step) => [`${step.readme}: ${step.action}`, step] as const))(
    '%s passes only inputs the action declares, and all it requires',
    (_name, step) => {
      const inputs = readActionManifest(step.action).inputs ?? {};
      expect(Object.keys(step.with).filter((name) => !(name in inputs))).toEqual([]);
      const required = Object.entries(inputs).filter(
        ([, input]) => input.required && input.default === undefined,
      );
      expect(required.map(([name]) => name).filter((name) => !(name in step.with))).toEqual([]);
    },
  );

  it.each(steps.filter((step) => step.action === 'canary-gate').map((step) => [step.readme, step] as const))(
    '%s: a Prometheus source-config comes with source: prometheus',
    (_name, step) => {
      const config = String(step.with['source-config'] ?? '');
      if (/address:/.test(config)) expect(step.with.source).toBe('prometheus');
    },
  );
});

describe('README screenshots', () => {
  it.each(ACTIONS)('%s shows its job summary from docs/img, a committed PNG under 200 KB', (action) => {
    const picture = `docs/img/${action}-summary.png`;
    expect(readFileSync(join(ROOT, 'actions', action, 'README.md'), 'utf8')).toContain(`(../../${picture})`);
    const bytes = readFileSync(join(ROOT, picture));
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.length).toBeLessThan(200_000);
  });
});
