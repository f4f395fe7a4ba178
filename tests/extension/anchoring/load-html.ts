// Test helper: load a saved page into the happy-dom document without fetching or running anything.
export function loadHtml(html: string): void {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const el of Array.from(doc.querySelectorAll('script, link, iframe, img'))) {
    // Keep scripts (the text model must skip them) but stop any loading: drop src/href.
    el.removeAttribute('src');
    el.removeAttribute('href');
  }
  document.head.innerHTML = doc.head.innerHTML.replace(/<link[^>]*>/gi, '');
  document.body.innerHTML = doc.body.innerHTML;
}
