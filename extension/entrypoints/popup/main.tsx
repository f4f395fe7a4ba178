import '../../lib/zod-setup';
import { render } from 'preact';
import { SyncStatus } from '../../components/sync-status';
import { createDb } from '../../lib/db';
import { PopupApp } from './app';
import { ThisPage } from './this-page';
import './style.css';

const root = document.getElementById('app');
if (root) {
  const db = createDb();
  render(<PopupApp db={db} thisPage={<ThisPage />} syncStatus={<SyncStatus db={db} />} />, root);
}
