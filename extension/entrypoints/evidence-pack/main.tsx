import '../../lib/zod-setup';
import { render } from 'preact';
import { createDb } from '../../lib/db';
import { EvidencePackApp } from './app';
import './style.css';

const root = document.getElementById('app');
if (root)
  render(
    <EvidencePackApp
      db={createDb()}
      frameworkId={new URLSearchParams(location.search).get('framework')}
      submissionId={new URLSearchParams(location.search).get('submission')}
    />,
    root,
  );
