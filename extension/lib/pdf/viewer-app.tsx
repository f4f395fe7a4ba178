// The PDF viewer page: loads the PDF named by `?file=`, shows its pages with a
// keyboard-operable toolbar (page navigation, zoom, find), and runs clipping and highlighting.
// `#page=n` and `#clip=id` open it at a page or at a clip's passage.
// About 400 lines: one page component whose toolbar, find bar and loading states share its state.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { parseViewerHref, type ViewerTarget } from '../../../shared/pdf/viewer-link';
import { createPdfTextModel, type PdfTextModel } from '../anchoring/pdf-text-model';
import { ClipUi } from '../clip-ui/clip-ui';
import { clipUiShadowMode } from '../clip-ui/shadow-mode';
import { logError } from '../log-error';
import type { PageStatus } from '../messaging';
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
import { fetchPdf, type LoadedPdf, loadPdf } from './load-pdf';
import { createPageView, type PageView } from './page-view';
import { NO_CLIPPER_FRAGMENT } from './pdf-routing';
import { getPdfAutoOpen, setPdfAutoOpen } from './pdf-settings';
import { PdfSurface } from './pdf-surface';
import type { PdfViewerHandle } from './viewer-handle';

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

type Phase = ViewerPhase;

interface Live {
  loaded: LoadedPdf;
  model: PdfTextModel;
  view: PageView;
  surface: PdfSurface;
}

interface ToolbarProps {
  phase: Phase;
  title: string;
  file: string | null;
  page: number;
  pageCount: number;
  scale: number;
  status: PageStatus | null;
  find: { query: string; index: number; count: number };
  autoOpen: boolean;
  onPage(page: number): void;
  onScale(scale: number): void;
  onFind(query: string, step: 0 | 1 | -1): void;
  onAskOrigin(origin: string): void;
  onAutoOpen(on: boolean): void;
}

function Toolbar(p: ToolbarProps) {
  const [pageText, setPageText] = useState(String(p.page + 1));
  useEffect(() => setPageText(String(p.page + 1)), [p.page]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && (e.key === '=' || e.key === '+')) {
        e.preventDefault();
        p.onScale(ZOOMS.find((z) => z > p.scale + 0.01) ?? p.scale);
      } else if (mod && e.key === '-') {
        e.preventDefault();
        p.onScale([...ZOOMS].reverse().find((z) => z < p.scale - 0.01) ?? p.scale);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [p.scale, p.onScale]);

  const ready = p.phase.kind === 'ready';
  const pct = Math.round(p.scale * 100);
  const zoomChoices = ZOOMS.includes(p.scale) ? ZOOMS : [...ZOOMS, p.scale].sort((a, b) => a - b);
  return (
    <>
      <div class="bar" role="toolbar" aria-label="PDF viewer">
        <span class="brand" aria-hidden="true">
          QSI
        </span>
        <h1 class="doc-title" title={p.file ?? ''}>
          {p.title}
        </h1>
        <fieldset class="group" aria-label="Pages">
          <button type="button" disabled={!ready || p.page <= 0} onClick={() => p.onPage(p.page - 1)}>
            <span aria-hidden="true">‹</span> Previous
          </button>
          <label class="page-input">
            Page{' '}
            <input
              type="text"
              inputMode="numeric"
              size={4}
              value={pageText}
              disabled={!ready}
              onInput={(e) => setPageText(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key !== 'Enter') return;
                const n = Number(pageText);
                if (Number.isInteger(n) && n >= 1 && n <= p.pageCount) p.onPage(n - 1);
                else setPageText(String(p.page + 1));
              }}
              onBlur={() => setPageText(String(p.page + 1))}
            />{' '}
            of {p.pageCount || '…'}
          </label>
          <button
            type="button"
            disabled={!ready || p.page >= p.pageCount - 1}
            onClick={() => p.onPage(p.page + 1)}
          >
            Next <span aria-hidden="true">›</span>
          </button>
        </fieldset>
        <fieldset class="group" aria-label="Zoom">
          <button
            type="button"
            aria-label="Zoom out"
            disabled={!ready}
            onClick={() => p.onScale([...ZOOMS].reverse().find((z) => z < p.scale - 0.01) ?? p.scale)}
          >
            −
          </button>
          <label class="visually-hidden" for="zoom">
            Zoom
          </label>
          <select
            id="zoom"
            disabled={!ready}
            value={String(p.scale)}
            onChange={(e) => p.onScale(Number(e.currentTarget.value))}
          >
            {zoomChoices.map((z) => (
              <option key={z} value={String(z)}>
                {Math.round(z * 100)} %
              </option>
            ))}
          </select>
          <button
            type="button"
            aria-label="Zoom in"
            disabled={!ready}
            onClick={() => p.onScale(ZOOMS.find((z) => z > p.scale + 0.01) ?? p.scale)}
          >
            +
          </button>
          <span class="visually-hidden" aria-live="polite">
            Zoom {pct} %
          </span>
        </fieldset>
        <FindBox find={p.find} disabled={!ready} onFind={p.onFind} />
        {p.file && (
          <a class="original" href={`${p.file.replace(/#.*$/s, '')}${NO_CLIPPER_FRAGMENT}`}>
            Browser’s viewer
          </a>
        )}
      </div>
      <ViewerSubbar
        phase={p.phase}
        status={p.status}
        autoOpen={p.autoOpen}
        autoOpenLabel="Open PDFs from sites I allowed here automatically"
        autoOpenKind="pdf"
        onAutoOpen={p.onAutoOpen}
        onAskOrigin={p.onAskOrigin}
      />
    </>
  );
}

/** Starts the viewer in `toolbarRoot` (toolbar) and `pagesRoot` (pages). */
export function startPdfViewer(toolbarRoot: HTMLElement, pagesRoot: HTMLElement): void {
  const target = parseViewerHref(location.search, location.hash);
  const abort = new AbortController();
  let live: Live | null = null;
  let props: ToolbarProps;
  let matches: Array<[number, number]> = [];

  const update = (patch: Partial<ToolbarProps>) => {
    props = { ...props, ...patch };
    render(<Toolbar {...props} />, toolbarRoot);
  };

  const paintFind = () => {
    const model = live?.model;
    if (model) paintFindMatches(matches, props.find.index, (s, e) => model.rangeFor(s, e));
  };

  const showMatch = async (i: number) => {
    const m = matches[i];
    if (!m || !live) return;
    const page = live.model.pageOf(m[0]);
    await live.view.ensureRendered(page);
    const rect = live.model.rangeFor(m[0], m[1])?.getClientRects()[0];
    if (rect)
      pagesRoot.scrollTop += rect.top - pagesRoot.getBoundingClientRect().top - pagesRoot.clientHeight / 3;
    else live.view.goToPage(page);
    paintFind();
  };

  props = {
    phase: { kind: 'loading', message: 'Opening the PDF…' },
    title: 'PDF',
    file: target?.file ?? null,
    page: 0,
    pageCount: 0,
    scale: 1,
    status: null,
    find: { query: '', index: 0, count: 0 },
    autoOpen: false,
    onPage: (page) => live?.view.goToPage(page),
    onScale: (scale) => {
      live?.view.setScale(scale);
      update({ scale: live?.view.scale ?? scale });
    },
    onFind: (query, step) => {
      if (!live) return;
      const next = stepFind(props.find, matches, live.model.text, query, step);
      matches = next.matches;
      update({ find: next.find });
      void showMatch(props.find.index);
      if (!next.find.count) paintFind();
    },
    onAskOrigin: askForOrigin,
    onAutoOpen: (on) =>
      setAutoOpenAsking(target?.file, on, setPdfAutoOpen, (autoOpen) => update({ autoOpen })),
  };
  startViewerPage({
    target,
    what: 'The PDF',
    fallbackTitle: 'PDF',
    noTarget: 'No PDF address was given to the viewer.',
    getAutoOpen: getPdfAutoOpen,
    update,
    open,
  });

  async function open(t: ViewerTarget): Promise<void> {
    const fetched = await fetchPdf(t.file, abort.signal);
    if (!fetched.ok) {
      update({ phase: await fetchFailedPhase(t.file, fetched.error) });
      return;
    }
    const loaded = await loadPdf(fetched.value, (done, total) =>
      update({ phase: { kind: 'loading', message: `Reading page ${done} of ${total}…` }, pageCount: total }),
    );
    document.title = `${loaded.title || 'PDF'} — Evidence Clipper`;
    const model = createPdfTextModel(loaded.text, pagesRoot);
    let surface: PdfSurface | null = null;
    const view = createPageView({
      container: pagesRoot,
      pages: loaded.pages,
      contents: loaded.contents,
      onAttach: (page, spans) => {
        model.attachPage(page, spans);
        surface?.pageAttached();
        if (matches.length) paintFind();
      },
      onDetach: (page) => model.detachPage(page),
      onPageChange: (page) => update({ page }),
    });
    // Fit the page width (within 50–150 %) on open.
    const firstWidth = (loaded.pages[0]?.view[2] ?? 595) * (96 / 72);
    const fit = Math.min(1.5, Math.max(0.5, (pagesRoot.clientWidth - 48) / firstWidth));
    view.setScale(Math.round(fit * 20) / 20);
    surface = new PdfSurface({
      url: t.file,
      loaded,
      model,
      view,
      pagesRoot,
      onStatus: (status) => update({ status }),
    });
    const clipUi = new ClipUi(surface, abort.signal, await clipUiShadowMode());
    live = { loaded, model, view, surface };
    const handle: PdfViewerHandle = { file: t.file, status: () => surface?.documentStatus() ?? null };
    publishViewerHandle(handle);
    update({
      phase: { kind: 'ready' },
      title: loaded.title || 'PDF',
      pageCount: view.pageCount,
      scale: view.scale,
    });
    pagesRoot.dataset.fingerprint = loaded.fingerprint;
    await clipUi.start();
    await go(t);
    pagesRoot.dataset.ready = '1';
    onViewerHashChange((next) => void go(next).catch(logError));
  }

  async function go(t: ViewerTarget): Promise<void> {
    if (!live) return;
    if (t.clip && (await live.surface.showClip(t.clip))) return;
    if (t.page) live.view.goToPage(t.page - 1);
  }
}
