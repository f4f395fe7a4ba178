// Our own full backup: every clip (tombstones included), assessment and framework, as validated
// JSON. Restoring it gives back exactly what was exported.
import { z } from 'zod';
import { assessmentSchema, clipSchema, frameworkSchema, isoDateTimeSchema } from '../schemas';

export const BACKUP_FORMAT = 'qsi-evidence-clipper/backup@1' as const;

export const backupSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  exportedAt: isoDateTimeSchema,
  activeFrameworkId: z.string().max(200).optional(),
  frameworks: z.array(frameworkSchema),
  assessments: z.array(assessmentSchema),
  clips: z.array(clipSchema),
});
export type Backup = z.infer<typeof backupSchema>;

/** Builds a backup document (ordering is stable: by id). */
export function buildBackup(input: Omit<Backup, 'format'>): Backup {
  const byKey =
    <T>(key: (t: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  return {
    format: BACKUP_FORMAT,
    exportedAt: input.exportedAt,
    ...(input.activeFrameworkId ? { activeFrameworkId: input.activeFrameworkId } : {}),
    frameworks: [...input.frameworks].sort(byKey((f) => f.id)),
    assessments: [...input.assessments].sort(byKey((a) => a.criterionId)),
    clips: [...input.clips].sort(byKey((c) => c.id)),
  };
}
