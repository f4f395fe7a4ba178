// Saves generated files from an extension page through an object URL and a temporary link
// (no "downloads" permission needed). The URL is revoked once the click has been handled.
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadText(text: string, filename: string, type: string): void {
  downloadBlob(new Blob([text], { type }), filename);
}

/** `qsi-<what>-<framework>-YYYY-MM-DD.<ext>` with only filename-safe characters. */
export function exportFilename(
  what: string,
  frameworkId: string | undefined,
  today: string,
  ext: string,
): string {
  const fw = (frameworkId ?? 'all').replace(/[^a-z0-9._-]+/gi, '-');
  return `qsi-${what}-${fw}-${today}.${ext}`;
}
