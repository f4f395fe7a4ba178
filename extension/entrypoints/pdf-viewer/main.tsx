import '../../lib/zod-setup';
import { startPdfViewer } from '../../lib/pdf/viewer-app';
import './style.css';

const toolbar = document.getElementById('toolbar');
const pages = document.getElementById('pages');
if (toolbar && pages) {
  pages.tabIndex = 0; // a scrolling region must be reachable by keyboard (arrows, Page Up/Down)
  startPdfViewer(toolbar, pages);
}
