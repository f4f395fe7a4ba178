// The one place extension code reports unexpected errors. A reloaded extension leaves orphaned
// content scripts whose calls fail with "Extension context invalidated": that is not a bug.
export function logError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('Extension context invalidated')) return;
  console.error('[qsi-evidence-clipper]', error);
}
