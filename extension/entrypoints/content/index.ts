import { defineContentScript } from 'wxt/utils/define-content-script';
import { startContent } from '../../lib/web-page/start';

// Registered at run time only (no host permission at install): injected on demand through
// activeTab, or registered by the background for origins the user granted.
export default defineContentScript({
  registration: 'runtime',
  matches: [],
  allFrames: true,
  main: (ctx) => startContent(ctx),
});
