import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import {
  convertWorkflowTemplate,
  isMapping,
  isSequence,
  NoOperationTraceWriter,
  parseWorkflow,
  type WorkflowTemplate,
} from '@actions/workflow-parser';
import type {
  ActionStep,
  Job,
  ReusableWorkflowJob,
  Step,
} from '@actions/workflow-parser/model/workflow-template';
import type { MappingToken, TemplateToken } from '@actions/workflow-parser/templates/tokens/index';
import { UserFacingError } from '@recsys-actions/core';
import { classifyAction, resolveWorkflowRef, type ActionRef } from './refs';

export interface LoadedStep {
  step: Step;
  /** The step's own mapping, for the keys the converter drops: with, shell, working-directory, timeout-minutes. */
  raw: MappingToken;
  action?: ActionRef;
}

export interface LoadedJob {
  id: string;
  job: Job | ReusableWorkflowJob;
  /** The job's own mapping, for timeout-minutes, continue-on-error and defaults. */
  raw: MappingToken;
  steps: LoadedStep[];
  /** The workflow a reusable job calls, loaded with it. */
  called?: LoadedWorkflow;
}

export interface LoadedWorkflow {
  file: string;
  /** The repository `./` references in this workflow resolve into. */
  repo: string;
  template: WorkflowTemplate;
  root: MappingToken;
  jobs: LoadedJob[];
}

const maxCallDepth = 4; // GitHub's limit on nested reusable workflows

/**
 * Parses and converts a workflow with @actions/workflow-parser and loads every workflow it calls, so a bad
 * reference or an action this runner cannot run is reported before any job starts.
 */
export async function loadWorkflow(
  file: string,
  repo: string,
  suiteRoot: string,
  depth = 0,
): Promise<LoadedWorkflow> {
  if (!existsSync(file)) throw new UserFacingError(`There is no workflow file at ${file}.`);
  if (depth > maxCallDepth)
    throw new UserFacingError(`${file} nests reusable workflows deeper than ${maxCallDepth}.`);
  const parsed = parseWorkflow(
    { name: relative(repo, file), content: readFileSync(file, 'utf8') },
    new NoOperationTraceWriter(),
  );
  const problems = parsed.context.errors.getErrors().map((error) => error.message);
  const template = parsed.value ? await convertWorkflowTemplate(parsed.context, parsed.value) : undefined;
  problems.push(...(template?.errors ?? []).map((error) => error.Message));
  if (!template || !parsed.value || problems.length > 0)
    throw new UserFacingError(`${file} is not a valid workflow: ${[...new Set(problems)].join('; ')}`);
  const root = parsed.value.assertMapping('workflow');
  const rawJobs = mappingChild(root, 'jobs');
  const jobs: LoadedJob[] = [];
  for (const job of template.jobs) {
    const raw = mappingChild(rawJobs, job.id.value);
    if (!raw) throw new UserFacingError(`${file}: job '${job.id.value}' is not a mapping.`);
    const loaded: LoadedJob = { id: job.id.value, job, raw, steps: [] };
    if (job.type === 'reusableWorkflowJob') {
      const target = resolveWorkflowRef(job.ref.value, repo, suiteRoot);
      loaded.called = await loadWorkflow(target.file, target.repo, suiteRoot, depth + 1);
    } else loaded.steps = loadSteps(job, raw, suiteRoot);
    jobs.push(loaded);
  }
  return { file, repo, template, root, jobs };
}

function loadSteps(job: Job, raw: MappingToken, suiteRoot: string): LoadedStep[] {
  const rawSteps = raw.find('steps');
  const items = rawSteps && isSequence(rawSteps) ? [...rawSteps] : [];
  return job.steps.map((step, index) => {
    const item = items[index];
    if (!item || !isMapping(item))
      throw new UserFacingError(`job '${job.id.value}' has a step that is not a mapping.`);
    if ('uses' in step)
      return { step, raw: item, action: classifyAction((step as ActionStep).uses.value, suiteRoot) };
    if (!('run' in step))
      throw new UserFacingError(
        `job '${job.id.value}' has a step that is neither run: nor uses:, which this runner cannot run.`,
      );
    return { step, raw: item };
  });
}

/** A key's value inside a mapping token, when it is itself a mapping. */
export function mappingChild(mapping: MappingToken | undefined, key: string): MappingToken | undefined {
  const value = mapping?.find(key);
  return value && isMapping(value) ? value : undefined;
}

export function child(mapping: MappingToken | undefined, key: string): TemplateToken | undefined {
  return mapping?.find(key);
}
