// The library's full-text search as a hook. The index is built inside its memo from the clips and
// criteria it is given, so rendering mutates nothing that outlives the render.
import { useMemo } from 'preact/hooks';
import type { Clip } from '../../../shared/schemas';
import { ClipSearch } from '../../lib/search';
import type { CriterionInfo } from './data';

/** Ids of the clips matching `query`, best first, or `undefined` for a blank query (no filtering). */
export function useClipSearch(
  clips: readonly Clip[],
  criteria: ReadonlyMap<string, CriterionInfo>,
  query: string,
): string[] | undefined {
  // One index per (clips, criteria): each dashboard load brings a new criteria map, so an index
  // kept across loads was rebuilt from scratch anyway, and criterion codes are part of its text.
  const search = useMemo(() => {
    const index = new ClipSearch((id) => criteria.get(id)?.code);
    index.sync(clips);
    return index;
  }, [clips, criteria]);
  return useMemo(() => search.search(query), [search, query]);
}
