// The Word document viewer page: loads the .docx named by `?file=`, renders it as a sanitised,
// accessible reading view (headings navigation, find with Ctrl+F) and runs clipping and
// highlighting through the same clip UI as web pages and PDFs. `#clip=id` opens it at a clip.
// A DMS address that turns out to serve a PDF goes on to the PDF viewer.
import { render } from 'preact';
import browser from 'webextension-polyfill';
import { type DocxMeta, docxDocMeta } from '../../../shared/docx/docx-meta';
import { parseViewerHref, type ViewerTarget } from '../../../shared/pdf/viewer-link';
import { ClipUi } from '../clip-ui/clip-ui';
import { scrollRangeIntoView } from '../clip-ui/range-clips';
import { clipUiShadowMode } from '../clip-ui/shadow-mode';
import type { PageStatus } from '../messaging';
import type { PdfViewerHandle } from '../pdf/viewer-handle';
import {
  askForOrigin,
  fetchFailedPhase,
  onViewerHashChange,
  paintFindMatches,
  publishViewerHandle,
  setAutoOpenAsking,
  startViewerPage,
  stepFind,
} from '../viewer/viewer-page';
import { FindBox, type ViewerPhase, ViewerSubbar } from '../viewer/viewer-parts';
import { getDocxAutoOpen, setDocxAutoOpen } from './docx-settings';
import { DocxSurface } from './docx-surface';
import { fetchDocx, loadDocx } from './load-docx';
import { type RenderedDocx, renderDocx } from './render-docx';

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
      <ViewerSubbar
        phase={p.phase}
        status={p.status}
        autoOpen={p.autoOpen}
        autoOpenLabel="Open Word documents from sites I allowed here automatically"
        autoOpenKind="word"
        onAutoOpen={p.onAutoOpen}
        onAskOrigin={p.onAskOrigin}
      >
        {p.meta && metaLine(p.meta) && <p class="meta-line">{metaLine(p.meta)}</p>}
      </ViewerSubbar>
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
    if (!surface) return;
    const model = surface.textModel();
    const current = paintFindMatches(matches, props.find.index, (s, e) => model.rangeFor(s, e));
    if (current) scrollRangeIntoView(current);
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
      const next = stepFind(props.find, matches, surface.textModel().text, query, step);
      matches = next.matches;
      update({ find: next.find });
      paintFind();
    },
    onAskOrigin: askForOrigin,
    onAutoOpen: (on) =>
      setAutoOpenAsking(target?.file, on, setDocxAutoOpen, (autoOpen) => update({ autoOpen })),
  };
  startViewerPage({
    target,
    what: 'The Word document',
    fallbackTitle: 'Word document',
    noTarget: 'No document address was given to the viewer.',
    getAutoOpen: getDocxAutoOpen,
    update,
    open,
  });

  async function open(t: ViewerTarget): Promise<void> {
    const fetched = await fetchDocx(t.file, abort.signal);
    if (!fetched.ok) {
      update({ phase: await fetchFailedPhase(t.file, fetched.error) });
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
    publishViewerHandle(handle);
    update({ phase: { kind: 'ready' }, title, meta });
    roots.article.dataset.fingerprint = loaded.fingerprint;
    await clipUi.start();
    // The first anchoring pass has registered its highlights: the next frame paints them (bench).
    requestAnimationFrame(() => performance.mark('qsi:docx-first-highlight'));
    go(t);
    roots.article.dataset.ready = '1';
    onViewerHashChange(go);
  }

  function go(t: ViewerTarget): void {
    if (t.clip) surface?.showClip(t.clip);
  }
}
