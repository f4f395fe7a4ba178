// Popup entry. First paint: the cached coverage, read synchronously from localStorage and
// rendered by a small chunk (Preact and a type guard); the live parts (Dexie, messaging, zod)
// load right after it.
import { render } from 'preact';
import { PopupApp } from './app';
import { readCoverageCache } from './cache-read';
import './style.css';

performance.mark('qsi:popup-script');
const root = document.getElementById('app');
if (root) {
  const cached = readCoverageCache();
  performance.mark('qsi:popup-cache-read', { detail: { hit: cached !== undefined } });
  render(
    <PopupApp cached={cached} loadLive={() => import('./live').then((m) => m.createLiveParts())} />,
    root,
  );
}
