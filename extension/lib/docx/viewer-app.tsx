// The Word document viewer page: loads the .docx named by `?file=`, renders it as a sanitised,
// accessible reading view (headings navigation, find with Ctrl+F) and runs clipping and
// highlighting through the same clip UI as web pages and PDFs. `#clip=id` opens it at a clip.
// A DMS address that turns out to serve a PDF goes on to the PDF viewer.
import { render } from 'preact';
import browser from 'webextension-polyfill';
import { type DocxMeta, docxDocMeta } from '../../../shared/docx/docx-meta';
import { findAll } from '../../../shared/pdf/find-text';
import { parseViewerHref, type ViewerTarget } from '../../../shared/pdf/viewer-link';
import { originPattern } from '../background/content-injection';
import { ClipUi } from '../clip-ui/clip-ui';
import { clipUiShadowMode } from '../clip-ui/shadow-mode';
import { logError } from '../log-error';
import type { PageStatus } from '../messaging';
import { type PdfViewerHandle, VIEWER_HANDLE } from '../pdf/viewer-handle';
import { ErrorBox, FindBox, statusText, type ViewerPhase } from '../viewer/viewer-parts';
import { getDocxAutoOpen, setDocxAutoOpen } from './docx-settings';
import { DocxSurface } from './docx-surface';
import { fetchDocx, loadDocx } from './load-docx';
import { type RenderedDocx, renderDocx } from './render-docx';

// The find highlights the PDF viewer's stylesheet colours (both viewers load it).
const FIND_NAME = 'qsi-pdf-find';
const FIND_CURRENT = 'qsi-pdf-find-current';

type Phase = ViewerPhase;

interface ToolbarProps {
  phase: Phase;
  title: string;
  file: string | null;
  meta: DocxMeta | null;
  status: PageStatus | null;
  find: { query: string; index: number; count: number };
  autoOpen: boolean;
  onFind(query: string, step: 0 | 1 | -1): void;
  onAskOrigin(origin: string): void;
  onAutoOpen(on: boolean): void;
}

function metaLine(meta: DocxMeta): string {
  const d = meta.docMeta;
  const parts = [
    d.documentId,
    d.version && `version ${d.version}`,
    (d.owner || meta.author) && `by ${d.owner || meta.author}`,
    meta.lastModified && `last modified ${meta.lastModified}`,
    d.reviewDue && `review due ${d.reviewDue}`,
  ];
  return parts.filter(Boolean).join(' · ');
}

function Toolbar(p: ToolbarProps) {
  const ready = p.phase.kind === 'ready';
  return (
    <>
      <div class="bar" role="toolbar" aria-label="Word document viewer">
        <span class="brand" aria-hidden="true">
          QSI
        </span>
        <h1 class="doc-title" title={p.file ?? ''}>
          {p.title}
        </h1>
        <FindBox find={p.find} disabled={!ready} onFind={p.onFind} />
        {p.file && (
          <a class="original" href={p.file} download>
            Download the file
          </a>
        )}
      </div>
      <div class="subbar">
        <p class="status-line" role="status">
          {p.phase.kind === 'loading' && p.phase.message}
          {p.phase.kind === 'ready' && p.status && statusText(p.status)}
        </p>
        {p.meta && metaLine(p.meta) && <p class="meta-line">{metaLine(p.meta)}</p>}
        <label class="auto-open">
          <input
            type="checkbox"
            checked={p.autoOpen}
            onChange={(e) => p.onAutoOpen(e.currentTarget.checked)}
          />
          Open Word documents from sites I allowed here automatically
        </label>
      </div>
      {p.phase.kind === 'error' && (
        <ErrorBox message={p.phase.message} askOrigin={p.phase.askOrigin} onAskOrigin={p.onAskOrigin} />
      )}
    </>
  );
}

export interface DocxViewerRoots {
  toolbar: HTMLElement;
  /** The headings navigation (filled once the document is rendered). */
  nav: HTMLElement;
  /** What scrolls the document. */
  scroller: HTMLElement;
  /** Where the document is rendered. */
  article: HTMLElement;
}

/** Starts the viewer in its page's elements. */
export function startDocxViewer(roots: DocxViewerRoots): void {
  const target = parseViewerHref(location.search, location.hash);
  const abort = new AbortController();
  let surface: DocxSurface | null = null;
  let props: ToolbarProps;
  let matches: Array<[number, number]> = [];

  const update = (patch: Partial<ToolbarProps>) => {
    props = { ...props, ...patch };
    render(<Toolbar {...props} />, roots.toolbar);
  };

  const paintFind = () => {
    const registry = (globalThis as { CSS?: { highlights?: Map<string, unknown> } }).CSS?.highlights;
    const HighlightCtor = (globalThis as { Highlight?: new (...r: Range[]) => unknown }).Highlight;
    if (!registry || !HighlightCtor || !surface) return;
    const model = surface.textModel();
    const ranges: Range[] = [];
    let current: Range | null = null;
    matches.forEach(([s, e], i) => {
      const r = model.rangeFor(s, e);
      if (!r) return;
      if (i === props.find.index) current = r;
      else ranges.push(r);
    });
    registry.set(FIND_NAME, new HighlightCtor(...ranges));
    registry.set(FIND_CURRENT, current ? new HighlightCtor(current) : new HighlightCtor());
    const at = current as Range | null;
    const node = at?.startContainer;
    const el = node instanceof Element ? node : node?.parentElement;
    el?.scrollIntoView({ block: 'center' });
  };

  props = {
    phase: { kind: 'loading', message: 'Opening the Word document…' },
    title: 'Word document',
    file: target?.file ?? null,
    meta: null,
    status: null,
    find: { query: '', index: 0, count: 0 },
    autoOpen: false,
    onFind: (query, step) => {
      if (!surface) return;
      if (query !== props.find.query) matches = findAll(surface.textModel().text, query);
      const count = matches.length;
      const index = count ? (props.find.index + step + count) % count : 0;
      update({ find: { query, index: query === props.find.query ? index : 0, count } });
      paintFind();
    },
    onAskOrigin: (origin) => {
      // Inside the click's user gesture: no await before the request.
      void browser.permissions.request({ origins: [origin] }).then((granted) => {
        if (granted) location.reload();
      }, logError);
    },
    onAutoOpen: (on) => {
      const pattern = target ? originPattern(target.file) : null;
      // Auto-open applies to granted origins: ask for this one when turning it on here.
      const ask = on && pattern ? browser.permissions.request({ origins: [pattern] }) : Promise.resolve(true);
      void ask.then(async (granted) => {
        await setDocxAutoOpen(on && granted);
        update({ autoOpen: on && granted });
      }, logError);
    },
  };
  update({});
  void getDocxAutoOpen().then((autoOpen) => update({ autoOpen }), logError);

  if (!target) {
    update({ phase: { kind: 'error', message: 'No document address was given to the viewer.' } });
    return;
  }
  void open(target).catch((error: unknown) => {
    logError(error);
    const message = error instanceof Error ? error.message : String(error);
    update({ phase: { kind: 'error', message: `The Word document could not be opened: ${message}` } });
  });

  async function open(t: ViewerTarget): Promise<void> {
    document.title = `${new URL(t.file).pathname.split('/').pop() || 'Word document'} — Evidence Clipper`;
    const fetched = await fetchDocx(t.file, abort.signal);
    if (!fetched.ok) {
      const pattern = originPattern(t.file);
      const granted = pattern ? await browser.permissions.contains({ origins: [pattern] }) : true;
      update({
        phase: {
          kind: 'error',
          message: fetched.error.message,
          ...(fetched.error.code === 'forbidden' && !granted && pattern ? { askOrigin: pattern } : {}),
        },
      });
      return;
    }
    if (fetched.value.kind === 'pdf') {
      // A DMS address that serves a PDF: the PDF viewer, with the same query and fragment.
      location.replace(`${browser.runtime.getURL('/pdf-viewer.html')}${location.search}${location.hash}`);
      return;
    }
    update({ phase: { kind: 'loading', message: 'Reading the document…' } });
    const loaded = await loadDocx(fetched.value.bytes);
    if (loaded.warnings.length) console.debug('mammoth:', loaded.warnings.slice(0, 20));
    const rendered: RenderedDocx = renderDocx(loaded.html, roots.article, roots.nav);
    performance.mark('qsi:docx-rendered');
    const meta = docxDocMeta({
      coreXml: loaded.coreXml,
      customXml: loaded.customXml,
      ...(rendered.firstTable ? { firstTable: rendered.firstTable } : {}),
      firstLine: rendered.firstLine,
    });
    const title = meta.title || 'Word document';
    document.title = `${title} — Evidence Clipper`;
    surface = new DocxSurface({
      url: t.file,
      fingerprint: loaded.fingerprint,
      title,
      docMeta: meta.docMeta,
      article: roots.article,
      scroller: roots.scroller,
      onStatus: (status) => update({ status }),
    });
    const s = surface;
    const clipUi = new ClipUi(s, abort.signal, await clipUiShadowMode());
    const handle: PdfViewerHandle = {
      file: t.file,
      status: () => s.documentStatus(),
      text: () => s.textModel().text,
    };
    (window as unknown as Record<string, unknown>)[VIEWER_HANDLE] = handle;
    update({ phase: { kind: 'ready' }, title, meta });
    roots.article.dataset.fingerprint = loaded.fingerprint;
    await clipUi.start();
    // The first anchoring pass has registered its highlights: the next frame paints them (bench).
    requestAnimationFrame(() => performance.mark('qsi:docx-first-highlight'));
    go(t);
    roots.article.dataset.ready = '1';
    window.addEventListener('hashchange', () => {
      const next = parseViewerHref(location.search, location.hash);
      if (next) go(next);
    });
  }

  function go(t: ViewerTarget): void {
    if (t.clip) surface?.showClip(t.clip);
  }
}
