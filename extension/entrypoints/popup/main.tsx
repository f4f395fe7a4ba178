// Popup entry. First paint: the cached coverage, read with raw IndexedDB and rendered by a small
// chunk (Preact + zod/mini); the live parts (Dexie, messaging, zod) load right after it.
import '../../lib/zod-setup';
import { render } from 'preact';
import { PopupApp } from './app';
import { readCoverageCacheRaw } from './coverage-cache';
import './style.css';

const root = document.getElementById('app');
if (root) {
  void readCoverageCacheRaw().then((cached) => {
    render(
      <PopupApp cached={cached} loadLive={() => import('./live').then((m) => m.createLiveParts())} />,
      root,
    );
  });
}
