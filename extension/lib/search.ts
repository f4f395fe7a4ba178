// Full-text search over clips (quote, note, title, site, criterion codes) with MiniSearch.
// The index is kept in step with the live clip list incrementally (by updatedAt), never rebuilt
// from scratch on each edit. Holds no clip data beyond the indexed text.
import MiniSearch from 'minisearch';
import type { Clip } from '../../shared/schemas';

interface SearchDoc {
  id: string;
  quote: string;
  note: string;
  title: string;
  site: string;
  codes: string;
}

const hostOf = (url: string) => (URL.canParse(url) ? new URL(url).hostname : '');

export class ClipSearch {
  private readonly index = new MiniSearch<SearchDoc>({
    fields: ['quote', 'note', 'title', 'site', 'codes'],
    storeFields: [],
    searchOptions: {
      boost: { codes: 3, title: 1.5 },
      prefix: true,
      fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
      combineWith: 'AND',
    },
  });
  private readonly stamps = new Map<string, string>();

  constructor(private readonly codeOf: (criterionId: string) => string | undefined = () => undefined) {}

  /** Brings the index in line with `clips` (live ones only); O(changed clips) after the first call. */
  sync(clips: readonly Clip[]): void {
    const live = new Set<string>();
    const added: SearchDoc[] = [];
    for (const c of clips) {
      if (c.deleted) continue;
      live.add(c.id);
      const seen = this.stamps.get(c.id);
      if (seen === c.updatedAt) continue;
      if (seen !== undefined) this.index.discard(c.id);
      this.stamps.set(c.id, c.updatedAt);
      added.push(this.toDoc(c));
    }
    for (const id of [...this.stamps.keys()]) {
      if (!live.has(id)) {
        this.index.discard(id);
        this.stamps.delete(id);
      }
    }
    this.index.addAll(added);
  }

  /** Ids of matching clips, best match first. A blank query returns `undefined` (no filtering). */
  search(query: string): string[] | undefined {
    if (!query.trim()) return undefined;
    return this.index.search(query).map((r) => String(r.id));
  }

  get size(): number {
    return this.stamps.size;
  }

  private toDoc(c: Clip): SearchDoc {
    return {
      id: c.id,
      quote: c.quote,
      note: c.note,
      title: c.title,
      site: hostOf(c.url),
      codes: c.criteria.map((id) => this.codeOf(id) ?? id).join(' '),
    };
  }
}
