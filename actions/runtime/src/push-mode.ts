/**
 * `push`: where a shift or rollback that changed files in the workspace sends them. Its own module, so that the
 * actions' input readers can name the choices without loading the release machinery (release-targets.ts).
 */
export const PUSH_MODES = ['none', 'branch', 'pr'] as const;
export type PushMode = (typeof PUSH_MODES)[number];
