// "Edited by … on …": who last changed a clip, shown when it is not the clip's author.
import type { Clip } from '../../../shared/schemas';

/**
 * The last editor of a clip and the day of that edit, or undefined when the clip was last
 * written by its author (or no editor is known: clips not yet synced, data from 0.1.0).
 */
export function lastEditByOther(
  clip: Pick<Clip, 'createdBy' | 'updatedBy' | 'updatedAt'>,
): { name: string; date: string } | undefined {
  const by = clip.updatedBy;
  if (!by || by.id === clip.createdBy.id) return undefined;
  return { name: by.name, date: clip.updatedAt.slice(0, 10) };
}

/** The line the library and the evidence pack show, as text. */
export function editedByText(clip: Pick<Clip, 'createdBy' | 'updatedBy' | 'updatedAt'>): string | undefined {
  const e = lastEditByOther(clip);
  return e && `edited by ${e.name} on ${e.date}`;
}
