import '../../lib/zod-setup';
import { startDocxViewer } from '../../lib/docx/viewer-app';
import '../pdf-viewer/style.css';
import './style.css';

const toolbar = document.getElementById('toolbar');
const nav = document.getElementById('headings');
const scroller = document.getElementById('document');
const article = document.getElementById('article');
if (toolbar && nav && scroller && article) {
  scroller.tabIndex = 0; // a scrolling region must be reachable by keyboard (arrows, Page Up/Down)
  startDocxViewer({ toolbar, nav, scroller, article });
}
