export { runWorkflow } from './workflow';
export { loadWorkflow } from './load';
export type { Value } from './expressions';
export type {
  Conclusion,
  JobResult,
  LegResult,
  RunWorkflowOptions,
  StepResult,
  WorkflowResult,
} from './run-context';
export { summarize, type RunSummary } from './summary';
