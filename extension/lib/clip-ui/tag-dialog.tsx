// "Tag evidence" dialog: choose criteria (recent and frequent first), add a note, check the
// detected document metadata, save. Page text is only ever rendered as text.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { DocMeta } from '../../../shared/schemas';
import type { CriterionChoice } from '../messaging';

export interface TagValues {
  criteria: string[];
  note: string;
  docMeta: DocMeta;
}

export interface TagDialogProps {
  mode: 'create' | 'edit';
  quote: string;
  frameworkName: string;
  choices: CriterionChoice[];
  initial: TagValues;
  onChange: (values: TagValues) => void;
  /** Resolves with an error message to show, or null when saved. */
  onSave: (values: TagValues) => Promise<string | null>;
  onCancel: () => void;
}

const MAX_RESULTS = 60;

/** Recent and frequent first, then the framework's own order. */
function rankChoices(choices: CriterionChoice[]): CriterionChoice[] {
  const now = Date.now();
  const score = (c: CriterionChoice) => {
    if (!c.uses) return 0;
    const ageDays = c.lastUsed ? (now - Date.parse(c.lastUsed)) / 86_400_000 : 365;
    return c.uses + 10 / (1 + Math.max(0, ageDays));
  };
  return choices
    .map((c, i) => ({ c, i, s: score(c) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.c);
}

export function matchesQuery(c: CriterionChoice, query: string): boolean {
  const hay = `${c.code} ${c.title} ${c.standard} ${c.domain}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => hay.includes(word));
}

const META_FIELDS: { key: keyof DocMeta; label: string; type: 'text' | 'date' }[] = [
  { key: 'documentId', label: 'Document ID', type: 'text' },
  { key: 'version', label: 'Version', type: 'text' },
  { key: 'owner', label: 'Owner', type: 'text' },
  { key: 'approvedOn', label: 'Approval date', type: 'date' },
  { key: 'reviewDue', label: 'Next review date', type: 'date' },
];

export function TagDialog(props: TagDialogProps) {
  const [values, setValues] = useState<TagValues>(props.initial);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const dialogRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => searchRef.current?.focus(), []);

  const ranked = useMemo(() => rankChoices(props.choices), [props.choices]);
  const results = useMemo(
    () => ranked.filter((c) => matchesQuery(c, query)).slice(0, MAX_RESULTS),
    [ranked, query],
  );
  const byId = useMemo(() => new Map(props.choices.map((c) => [c.id, c])), [props.choices]);

  const update = (next: TagValues) => {
    setValues(next);
    props.onChange(next);
  };
  const toggle = (id: string) =>
    update({
      ...values,
      criteria: values.criteria.includes(id)
        ? values.criteria.filter((c) => c !== id)
        : [...values.criteria, id],
    });

  const save = async () => {
    if (values.criteria.length === 0) {
      setError('Choose at least one criterion.');
      return;
    }
    setSaving(true);
    const problem = await props.onSave(values);
    setSaving(false);
    setError(problem);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      props.onCancel();
    } else if (e.key === 'Tab') trapFocus(e, dialogRef.current);
  };

  return (
    <div class="backdrop">
      <div
        ref={dialogRef}
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="qsi-dialog-title"
        onKeyDown={onKeyDown}
      >
        <h2 id="qsi-dialog-title">Tag evidence</h2>
        <blockquote class="quote" aria-label="Selected passage">
          {props.quote.length > 400 ? `${props.quote.slice(0, 400)}…` : props.quote}
        </blockquote>

        <fieldset>
          <legend>Criteria — {props.frameworkName}</legend>
          {values.criteria.length > 0 && (
            <ul class="chips" aria-label="Chosen criteria">
              {values.criteria.map((id) => (
                <li key={id}>
                  <span>{byId.get(id)?.code ?? id}</span>
                  <button
                    type="button"
                    class="chip-remove"
                    aria-label={`Remove ${byId.get(id)?.code ?? id}`}
                    onClick={() => toggle(id)}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          <label class="field">
            <span>Search criteria by code or words</span>
            <input
              ref={searchRef}
              type="search"
              value={query}
              onInput={(e) => setQuery(e.currentTarget.value)}
              aria-controls="qsi-criteria-results"
            />
          </label>
          <fieldset id="qsi-criteria-results" class="results">
            <legend class="visually-hidden">Matching criteria</legend>
            {results.length === 0 && <p class="muted">No criterion matches “{query}”.</p>}
            {results.map((c) => (
              <label key={c.id} class="result">
                <input
                  type="checkbox"
                  checked={values.criteria.includes(c.id)}
                  onChange={() => toggle(c.id)}
                />
                <span class="code">{c.code}</span>
                <span class="title">{c.title}</span>
                {c.uses > 0 && <span class="uses">used {c.uses}×</span>}
              </label>
            ))}
          </fieldset>
        </fieldset>

        <label class="field">
          <span>Note</span>
          <textarea
            rows={3}
            value={values.note}
            maxLength={10_000}
            onInput={(e) => update({ ...values, note: e.currentTarget.value })}
          />
        </label>

        <fieldset class="meta">
          <legend>Document details (detected from the page — check them)</legend>
          {META_FIELDS.map((f) => {
            const onInput = (e: { currentTarget: HTMLInputElement }) => {
              const v = e.currentTarget.value.trim();
              update({ ...values, docMeta: { ...values.docMeta, [f.key]: v || undefined } });
            };
            const value = values.docMeta[f.key] ?? '';
            const id = `qsi-meta-${f.key}`;
            return (
              <div key={f.key} class="field">
                <label for={id}>{f.label}</label>
                {f.type === 'date' ? (
                  <input id={id} type="date" value={value} onInput={onInput} />
                ) : (
                  <input id={id} type="text" value={value} onInput={onInput} />
                )}
              </div>
            );
          })}
        </fieldset>

        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="button" class="secondary" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="button" class="primary" disabled={saving} onClick={() => void save()}>
            {props.mode === 'create' ? 'Save clip' : 'Save changes'}
          </button>
        </div>
      </div>
    </div>
  );
}

/** Keeps Tab and Shift+Tab inside the dialog. */
function trapFocus(e: KeyboardEvent, root: HTMLElement | null): void {
  if (!root) return;
  const focusable = [
    ...root.querySelectorAll<HTMLElement>('button:not([disabled]), input, textarea, select, [tabindex="0"]'),
  ];
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  const active = (root.getRootNode() as ShadowRoot | Document).activeElement;
  if (e.shiftKey && active === first) {
    e.preventDefault();
    last?.focus();
  } else if (!e.shiftKey && active === last) {
    e.preventDefault();
    first?.focus();
  }
}
