// The clip UI's host, which runs from page load and holds no Preact: our element and its closed
// shadow root (untrusted input refused), the anchoring passes (read the document's clips, anchor
// and paint them, report the outcomes), the "Evidence on this page" toggle, and the listeners for
// the user's input. The view the user acts on (clip-view.ts) is attached at once in the viewers,
// and on web pages loaded when the user first needs it: text selected with the mouse or keyboard,
// a highlight under the pointer, the toggle pressed, a clip command, a saved draft to resume.
import { LIMITS } from '../../../shared/limits';
import { UI_ATTRIBUTE } from '../anchoring/text-model';
import { logError } from '../log-error';
import type { Reply, RequestName, RequestOf } from '../messaging';
import { sendToBackground } from '../send-to-background';
import type { ClipSurface, ClipView, ClipViewHost, PlacedClip } from './clip-surface';
import { HOST_CSS } from './host-css';
import { isTrusted, refuseUntrustedInput } from './trusted-input';

const send = <N extends RequestName>(name: N, body: RequestOf<N>): Promise<Reply<N>> =>
  sendToBackground(name, body, 'clip-ui');

/** Loads the view for a host (web pages: injected by the background on request). */
export type ViewLoader<P> = (host: ClipViewHost<P>) => Promise<ClipView>;

export class ClipHost<P> implements ClipViewHost<P> {
  readonly host: HTMLElement;
  /** Our shadow root: closed, so only this object (in the content script's world) holds it. */
  readonly shadow: ShadowRoot;
  readonly mount: HTMLElement;
  /** Re-reads the document's clips, anchors and paints them, and reports the outcomes. */
  readonly refresh: () => Promise<void>;
  private placed: readonly PlacedClip[] = [];
  private named: Record<string, { code: string; title: string }> = {};
  private view: ClipView | null = null;
  private loading: Promise<ClipView> | null = null;
  /** The toggle shown until the view is attached (the view renders its own). */
  private toggle: HTMLElement | null = null;
  private hoverFrame = 0;

  constructor(
    readonly surface: ClipSurface<P>,
    readonly signal: AbortSignal,
    shadowMode: ShadowRootMode = 'closed',
    private readonly loadView: ViewLoader<P> | null = null,
  ) {
    this.host = document.createElement('qsi-evidence-clipper');
    this.host.setAttribute(UI_ATTRIBUTE, '');
    this.shadow = this.host.attachShadow({ mode: shadowMode });
    refuseUntrustedInput(this.shadow, signal);
    const style = document.createElement('style');
    style.textContent = HOST_CSS;
    this.mount = document.createElement('div');
    this.mount.className = 'root';
    this.shadow.append(style, this.mount);
    this.refresh = surface.schedulePasses(() => this.pass());
  }

  get clips(): readonly PlacedClip[] {
    return this.placed;
  }

  get criteria(): Record<string, { code: string; title: string }> {
    return this.named;
  }

  /** Whether the view is attached (web pages: loaded). */
  get viewLoaded(): boolean {
    return this.view !== null;
  }

  /** Attaches the view; from now on the host forwards the user's input to it. */
  protected attach(view: ClipView): ClipView {
    this.toggle?.remove();
    this.toggle = null;
    this.view = view;
    if (this.signal.aborted) view.destroy();
    return view;
  }

  /** The view, loaded first if need be (once; a failed load is tried again on the next need). */
  private withView(): Promise<ClipView> {
    if (this.view) return Promise.resolve(this.view);
    if (!this.loadView) return Promise.reject(new Error('The clip UI has no view to load.'));
    this.loading ??= this.loadView(this).then(
      (view) => this.attach(view),
      (error: unknown) => {
        this.loading = null;
        throw error;
      },
    );
    return this.loading;
  }

  /** Runs `act` on the view: at once when it is attached, else once it has loaded. */
  private use(act: (view: ClipView) => void | Promise<void>): Promise<void> {
    const run = async (view: ClipView) => act(view);
    return (this.view ? run(this.view) : this.withView().then(run)).catch(logError);
  }

  async start(): Promise<void> {
    this.surface.hostParent.append(this.host);
    this.signal.addEventListener('abort', () => {
      this.surface.destroy();
      this.view?.destroy();
      this.host.remove();
    });
    this.listen();
    await this.refresh();
    if (!this.surface.mayResumeDraft()) return;
    const reply = await send('getDraft', { url: this.surface.doc.url });
    const draft = reply.ok ? reply.value.draft : null;
    if (draft) await this.use((view) => view.resumeDraft(draft));
  }

  // ------------------------------------------------------------------ the user's input

  private listen(): void {
    const opts = { signal: this.signal } as const;
    // A page's script can dispatch any of these on the document: only the user's count. It can
    // also change the selection, which the browser reports as a trusted `selectionchange`: so
    // only a key or a mouse button released loads the view, never a selection change alone.
    const onSelection = (e: Event) => {
      if (!isTrusted(e)) return;
      if (this.view) this.view.selectionChanged();
      else if (e.type !== 'selectionchange' && this.currentSelection())
        void this.use((view) => view.selectionChanged());
    };
    document.addEventListener('selectionchange', onSelection, opts);
    document.addEventListener('mouseup', onSelection, opts);
    document.addEventListener('keyup', onSelection, opts);
    document.addEventListener('mousemove', (e) => isTrusted(e) && this.onHover(e), {
      ...opts,
      passive: true,
    });
    document.addEventListener(
      'mousedown',
      (e) => {
        if (!isTrusted(e) || e.composedPath().includes(this.host)) return;
        this.view?.pressed();
      },
      opts,
    );
    this.surface.scroller.addEventListener('scroll', () => this.view?.scrolled(), {
      ...opts,
      passive: true,
    });
    this.surface.listen(this, this.signal);
  }

  private onHover(e: MouseEvent): void {
    // Not while a button is held: a card opened under a drag would take the selection's end.
    if (this.hoverFrame || e.buttons !== 0) return;
    const { clientX, clientY } = e;
    this.hoverFrame = requestAnimationFrame(() => {
      this.hoverFrame = 0;
      const [id] = this.surface.hitTest(clientX, clientY);
      if (id) void this.use((view) => view.hovered(id, clientX, clientY + 14));
    });
  }

  currentSelection(): Range | null {
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (this.host.contains(range.commonAncestorContainer)) return null;
    if (!this.surface.textRoot.contains(range.commonAncestorContainer)) return null;
    if (!sel.toString().trim()) return null;
    return range;
  }

  // ------------------------------------------------------------------ what surfaces ask

  startClip(): Promise<void> {
    return this.use((view) => view.startClip());
  }

  showToast(message: string): void {
    void this.use((view) => view.showToast(message));
  }

  openCard(clipId: string, x: number, y: number): void {
    void this.use((view) => view.openCard(clipId, x, y));
  }

  focusCard(): void {
    void this.use((view) => view.focusCard());
  }

  // ------------------------------------------------------------------ anchoring

  private async pass(): Promise<void> {
    const reply = await send('getPageClips', this.surface.doc);
    if (!reply.ok) {
      if (this.surface.toastRefreshErrors) this.showToast(reply.error.message);
      return;
    }
    this.placed = await this.surface.anchor(reply.value.clips);
    this.named = reply.value.criteria;
    if (this.view) this.view.clipsChanged();
    else this.showToggle();
    const results = this.placed.map((p) =>
      p.found === undefined
        ? { id: p.clip.id, status: p.status }
        : { id: p.clip.id, status: p.status, found: p.found.slice(0, LIMITS.quote) },
    );
    if (results.length) await send('reportAnchors', { ...this.surface.doc, results });
  }

  /** Until the view is loaded: the panel's toggle as the view renders it (closed), counts only. */
  private showToggle(): void {
    this.toggle?.remove();
    this.toggle = null;
    if (this.placed.length === 0) return;
    const lost = this.placed.filter((c) => c.status === 'lost').length;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'panel-toggle';
    button.setAttribute('aria-expanded', 'false');
    button.textContent = `Evidence on this page: ${this.placed.length}`;
    if (lost > 0) {
      const count = document.createElement('span');
      count.className = 'lost-count';
      count.textContent = ` · ${lost} lost`;
      button.append(count);
    }
    button.addEventListener('click', (e) => isTrusted(e) && void this.use((view) => view.openPanel()), {
      signal: this.signal,
    });
    const panel = document.createElement('section');
    panel.className = 'panel';
    panel.setAttribute('aria-label', 'Evidence on this page');
    panel.append(button);
    this.toggle = document.createElement('div');
    this.toggle.className = 'root';
    this.toggle.append(panel);
    this.shadow.append(this.toggle);
  }
}
