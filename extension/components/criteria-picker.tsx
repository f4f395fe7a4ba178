// Multi-select of criteria: a filter box and a checkbox list grouped by domain, plus removable
// chips for what is selected. Keyboard: Tab into the box, type, Tab to the checkboxes, Space.
import { useId, useMemo, useState } from 'preact/hooks';

export interface CriterionOption {
  id: string;
  code: string;
  title: string;
  group: string;
}

export function CriteriaPicker({
  label,
  options,
  selected,
  onChange,
}: {
  label: string;
  options: readonly CriterionOption[];
  selected: readonly string[];
  onChange: (ids: string[]) => void;
}) {
  const [query, setQuery] = useState('');
  const id = useId();
  const chosen = new Set(selected);
  const byId = useMemo(() => new Map(options.map((o) => [o.id, o])), [options]);
  const q = query.trim().toLowerCase();
  const shown = q
    ? options.filter((o) => o.code.toLowerCase().includes(q) || o.title.toLowerCase().includes(q))
    : options;
  const groups = new Map<string, CriterionOption[]>();
  for (const o of shown.slice(0, 300)) {
    const g = groups.get(o.group);
    if (g) g.push(o);
    else groups.set(o.group, [o]);
  }
  const toggle = (cid: string) =>
    onChange(chosen.has(cid) ? selected.filter((x) => x !== cid) : [...selected, cid]);
  return (
    <fieldset class="picker">
      <legend>{label}</legend>
      <ul class="chips" aria-label="Selected criteria">
        {selected.length === 0 && <li class="muted">None selected</li>}
        {selected.map((cid) => {
          const o = byId.get(cid);
          return (
            <li key={cid} class="chip">
              <span class="code">{o?.code ?? cid}</span>
              <button
                type="button"
                class="chip-remove"
                aria-label={`Remove ${o?.code ?? cid}`}
                onClick={() => toggle(cid)}
              >
                ×
              </button>
            </li>
          );
        })}
      </ul>
      <label for={`${id}-q`} class="small-label">
        Find criterion by code or words
      </label>
      <input
        id={`${id}-q`}
        type="search"
        class="input"
        value={query}
        onInput={(e) => setQuery(e.currentTarget.value)}
      />
      <div class="picker-list">
        {groups.size === 0 && <p class="muted">No criterion matches “{query}”.</p>}
        {[...groups].map(([group, items]) => (
          <fieldset key={group} class="picker-set">
            <legend class="picker-group">{group}</legend>
            {items.map((o) => (
              <label key={o.id} class="picker-item">
                <input type="checkbox" checked={chosen.has(o.id)} onChange={() => toggle(o.id)} />
                <span class="code">{o.code}</span> <span>{o.title}</span>
              </label>
            ))}
          </fieldset>
        ))}
      </div>
    </fieldset>
  );
}
