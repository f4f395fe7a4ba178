// @vitest-environment happy-dom
// The Word viewer's sanitiser over hostile HTML, and over what mammoth really makes of the demo's
// hostile and policy documents: only allowed elements and attributes reach the page, as nodes.
import mammoth from 'mammoth';
import { describe, expect, test } from 'vitest';
import { contrastPolicyDocx, hostileDocx } from '../../../demo/docx-documents';
import { renderDocx } from '../../../extension/lib/docx/render-docx';
import { isSafeHref, sanitizeDocumentHtml } from '../../../extension/lib/docx/sanitize-html';
import { HOSTILE_TEXTS, HOSTILE_URLS, MARK } from '../../xss/payloads';

function clean(html: string): HTMLElement {
  const host = document.createElement('div');
  host.appendChild(sanitizeDocumentHtml(html, document, { idPrefix: 'doc-' }).fragment);
  return host;
}

const attributesOf = (root: Element) =>
  [...root.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => `${e.localName}[${a.name}]`));

describe('sanitiser: hostile markup', () => {
  test.each([
    ['script element', '<p>a</p><script>window.x=1</script><p>b</p>', 'ab'],
    ['style and link', '<style>*{}</style><link rel=stylesheet href=//x><p>t</p>', 't'],
    [
      'iframe, object, embed',
      '<iframe src="https://x"></iframe><object data=x></object><embed src=x><p>t</p>',
      't',
    ],
    ['svg with onload', '<p>t</p><svg onload="x()"><script>y()</script></svg>', 't'],
    ['event handler attributes', '<p onclick="x()" onmouseover="y()">t</p>', 't'],
    ['form controls', '<form action="https://x"><input value=v><button>b</button></form><p>t</p>', 't'],
  ])('%s: dropped, text kept', (_name, html, text) => {
    const out = clean(html);
    expect(out.textContent).toBe(text);
    expect(
      out.querySelector('script, style, link, iframe, object, embed, svg, form, input, button'),
    ).toBeNull();
    expect(attributesOf(out).filter((a) => a.includes('[on'))).toEqual([]);
  });

  test('script-like text stays text', () => {
    const out = clean('<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;</p>');
    expect(out.textContent).toBe('<script>alert(1)</script> <img src=x onerror=alert(2)>');
    expect(out.querySelector('script, img')).toBeNull();
  });

  test.each([
    ['javascript:alert(1)', null],
    [' JaVaScRiPt:alert(1)', null],
    ['data:text/html,<script>x</script>', null],
    ['vbscript:x', null],
    ['//evil.example/x', null],
    ['file:///etc/passwd', null],
    ['https://example.org/a?b=1', 'https://example.org/a?b=1'],
    ['http://intranet.example.nhs.uk/p', 'http://intranet.example.nhs.uk/p'],
    ['#footnote-1', '#doc-footnote-1'],
    ['#"><script>', null],
  ])('link %s → %s', (href, expected) => {
    const a = clean(`<p><a href='${href.replace(/'/g, '&#39;')}'>link</a></p>`).querySelector('a');
    expect(a?.getAttribute('href') ?? null).toBe(expected);
    expect(a?.textContent).toBe('link');
  });

  test('external links open apart, without the opener', () => {
    const a = clean('<a href="https://example.org/">x</a>').querySelector('a');
    expect(a?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(a?.getAttribute('target')).toBe('_blank');
    expect(isSafeHref('https://')).toBe(false);
  });

  test('images: only raster data URIs; external and SVG images leave their alt text', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const out = clean(
      `<p><img src="${png}" alt="logo"><img src="https://tracker.example/p.png" alt="pixel"><img src="data:image/svg+xml;base64,PHN2Zz4=" alt="vector"></p>`,
    );
    const imgs = [...out.querySelectorAll('img')];
    expect(imgs.map((i) => i.getAttribute('src'))).toEqual([png]);
    expect(out.textContent).toBe('[Image: pixel][Image: vector]');
  });

  test('ids are prefixed (no clash with the viewer, no DOM clobbering of its globals)', () => {
    const out = clean('<p id="qsiPdfViewer">a</p><p id="bad id">b</p>');
    expect([...out.querySelectorAll('[id]')].map((e) => e.id)).toEqual(['doc-qsiPdfViewer']);
  });

  test('table spans are clamped; unknown elements unwrapped', () => {
    const out = clean(
      '<table><tr><td colspan="99999" rowspan="x" style="color:red">a</td></tr></table><div><font>b</font></div>',
    );
    const td = out.querySelector('td');
    expect(td?.getAttribute('colspan')).toBe('1000');
    expect(td?.hasAttribute('rowspan')).toBe(false);
    expect(td?.hasAttribute('style')).toBe(false);
    expect(out.querySelector('div, font')).toBeNull();
    expect(out.textContent).toBe('ab');
  });

  test('a huge table and deep nesting: all text kept, no stack overflow', () => {
    const rows = Array.from({ length: 500 }, () => `<tr>${'<td>c</td>'.repeat(20)}</tr>`).join('');
    const deep = `${'<blockquote>'.repeat(1000)}deep${'</blockquote>'.repeat(1000)}`;
    const out = clean(`<table>${rows}</table>${deep}`);
    expect(out.querySelectorAll('td').length).toBe(10_000);
    expect(out.textContent?.endsWith('deep')).toBe(true);
  }, 30_000);
});

describe('sanitiser: the project’s XSS corpus', () => {
  test('every hostile text, parsed as markup, leaves no active element, handler or marked element', () => {
    for (const payload of HOSTILE_TEXTS) {
      const out = clean(`<p>${payload}</p>`);
      expect(
        out.querySelector(`script, iframe, object, embed, svg, style, form, [${MARK}]`),
        payload,
      ).toBeNull();
      expect(
        attributesOf(out).filter((a) => /\[on|\[style|\[src/.test(a) && !a.startsWith('img[')),
        payload,
      ).toEqual([]);
    }
  });
  test('a hostile address is dropped, or kept only as an absolute http(s) address', () => {
    for (const url of HOSTILE_URLS) {
      const href = clean(`<p><a href="${url.replace(/"/g, '&quot;')}">x</a></p>`)
        .querySelector('a')
        ?.getAttribute('href');
      if (href != null) expect(href, url).toMatch(/^https?:\/\/[^\s]/);
    }
  });
});

describe('sanitiser over mammoth, with the demo documents', () => {
  test('the hostile document: text only where it was text; one safe link; no image', async () => {
    const { value } = await mammoth.convertToHtml({ buffer: Buffer.from(await hostileDocx()) });
    const out = clean(value);
    expect(out.querySelector('script, svg, img')).toBeNull();
    expect([...out.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))).toEqual([
      'https://example.org/policy',
    ]);
    expect(out.textContent).toContain('<script>window.__pwned = 1</script>');
    expect(out.querySelectorAll('tr').length).toBeGreaterThan(400);
  }, 30_000);

  test('the policy: headings in sections, the contents list, list items, table cells, footnote, metadata table', async () => {
    const { value } = await mammoth.convertToHtml(
      { buffer: Buffer.from(await contrastPolicyDocx()) },
      { styleMap: ["p[style-name='Title'] => h1:fresh"] },
    );
    const article = document.createElement('article');
    const nav = document.createElement('nav');
    const rendered = renderDocx(value, article, nav);
    expect(rendered.firstLine).toBe('Contrast Administration Policy');
    expect(rendered.firstTable?.[0]).toEqual(['Document ID', 'IMG-POL-022']);
    expect(article.querySelectorAll(':scope > section').length).toBe(7);
    expect(article.querySelectorAll('li').length).toBeGreaterThanOrEqual(4);
    expect(article.querySelectorAll('.table-wrap > table').length).toBe(2);
    expect(article.querySelector('sup a')?.getAttribute('href')).toBe('#doc-footnote-1');
    expect(article.querySelector('#doc-footnote-1')).not.toBeNull();
    expect([...nav.querySelectorAll('a')].map((a) => a.textContent)).toContain('3. Dose limits');
  }, 30_000);
});
