import '../../lib/zod-setup';
import { render } from 'preact';
import { createDb } from '../../lib/db';
import { PopupApp } from './app';
import { ThisPage } from './this-page';
import './style.css';

const root = document.getElementById('app');
if (root) render(<PopupApp db={createDb()} thisPage={<ThisPage />} />, root);
