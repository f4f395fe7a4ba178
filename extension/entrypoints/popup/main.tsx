import { render } from 'preact';
import { createDb } from '../../lib/db';
import { PopupApp } from './app';
import './style.css';

const root = document.getElementById('app');
if (root) render(<PopupApp db={createDb()} />, root);
