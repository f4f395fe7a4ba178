// Popup entry. First paint: the cached coverage, read with raw IndexedDB and rendered by a small
// chunk (Preact and a type guard); the live parts (Dexie, messaging, zod) load right after it.
import { render } from 'preact';
import { PopupApp } from './app';
import { readCoverageCacheRaw } from './cache-read';
import './style.css';

performance.mark('qsi:popup-script');
const root = document.getElementById('app');
if (root) {
  void readCoverageCacheRaw().then((cached) => {
    performance.mark('qsi:popup-cache-read');
    render(
      <PopupApp cached={cached} loadLive={() => import('./live').then((m) => m.createLiveParts())} />,
      root,
    );
  });
}
