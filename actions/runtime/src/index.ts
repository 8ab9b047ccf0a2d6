export * from './run';
export * from './context';
export * from './github';
export {
  GITHUB_RETRY_DEFAULTS,
  GitHubRateLimitedError,
  GitHubTimeoutError,
  type GitHubRetryOptions,
} from './api-retry';
export { describeGitHubError } from './github-errors';
export type { ExecCommand, ExecOptions } from './exec';
