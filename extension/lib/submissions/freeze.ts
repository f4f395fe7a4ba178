// Builds a submission from this install's database: the framework, its criteria's assessments and
// every live clip tagged with them, frozen with their content hashes and the hash of the set.
// Only the content: the background sends it to the team server, which stamps who froze it.
import { freezeSet, type SubmissionContent, submissionSetText } from '../../../shared/submissions';
import type { ClipperDb } from '../db';
import { sha256Hex } from '../export/evidence-seal';

/**
 * The submission `name` for `frameworkId` as this database holds it now.
 * @returns undefined when the framework is not installed.
 */
export async function buildSubmission(
  db: ClipperDb,
  input: { id: string; name: string; frameworkId: string; now: Date },
): Promise<SubmissionContent | undefined> {
  const framework = await db.frameworks.get(input.frameworkId);
  if (!framework) return undefined;
  const [clips, assessments] = await Promise.all([db.clips.toArray(), db.assessments.toArray()]);
  const set = await freezeSet({ framework, clips, assessments, hash: sha256Hex });
  const frozenAt = input.now.toISOString();
  return {
    id: input.id,
    name: input.name,
    frozenAt,
    day: frozenAt.slice(0, 10),
    set,
    setHash: await sha256Hex(submissionSetText(set)),
  };
}
