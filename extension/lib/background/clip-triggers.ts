// Names of the browser-level ways to clip: the context-menu item and the keyboard command (the
// background creates and handles them for web pages; the PDF viewer listens for its own tab).
export const CLIP_MENU_ID = 'qsi-clip-as-evidence';
export const CLIP_COMMAND = 'clip-selection';
