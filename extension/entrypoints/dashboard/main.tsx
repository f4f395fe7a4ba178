import '../../lib/zod-setup';
import { render } from 'preact';
import { createDb } from '../../lib/db';
import { DashboardApp } from './app';
import './style.css';

const root = document.getElementById('app');
if (root) render(<DashboardApp db={createDb()} />, root);
