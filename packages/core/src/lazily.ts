/**
 * Builds a value on its first call and keeps it. The report's zod schemas are built this way: building the
 * envelope's ~700 schema objects took ~25 ms of every action's cold start, and a run that stops at a bad input
 * never validates a report.
 */
export function lazily<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
