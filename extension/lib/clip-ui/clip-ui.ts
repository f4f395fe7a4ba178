// The clip UI with its view attached at once: what the PDF and Word viewers run (extension
// pages, which load their code as one bundle anyway). Web pages start a bare ClipHost and load
// the view on demand (lib/web-page/start.ts).
import { ClipHost } from './clip-host';
import type { ClipSurface } from './clip-surface';
import { ClipOverlayView } from './clip-view';

export class ClipUi<P> extends ClipHost<P> {
  constructor(surface: ClipSurface<P>, signal: AbortSignal, shadowMode: ShadowRootMode = 'closed') {
    super(surface, signal, shadowMode);
    this.attach(new ClipOverlayView(this));
  }
}
