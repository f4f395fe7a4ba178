// Caps on what an import file may make the extension read. A file is picked by the user but may
// come from anywhere: an oversized file or a zip bomb (a small XLSX that inflates to gigabytes)
// must end in a clear message, not a frozen or crashed dashboard (docs/threat-model.md).

export const IMPORT_LIMITS = {
  /** A backup, W3C JSON-LD or Hypothesis file (a 10,000-clip backup with snapshots is ~60 MB). */
  annotationFileBytes: 100 * 1024 * 1024,
  /** A framework file (JSON, CSV or XLSX): the QSI framework is well under 1 MB. */
  frameworkFileBytes: 10 * 1024 * 1024,
  /** All entries of an XLSX workbook together, as its zip directory declares them. */
  xlsxUncompressedBytes: 50 * 1024 * 1024,
  /** Entries in an XLSX workbook. */
  xlsxEntries: 2_000,
} as const;

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/** Why a file of `bytes` is refused for a cap of `cap` bytes, or null when it is within it. */
export function fileSizeProblem(bytes: number, cap: number): string | null {
  return bytes > cap
    ? `The file is ${megabytes(bytes)}; files over ${megabytes(cap)} are not imported.`
    : null;
}
