// Converts a .docx with mammoth into semantic HTML (headings, lists, tables, footnotes) and reads
// its property parts for the metadata. Runs in the viewer's worker (convert-worker.ts); it touches
// no DOM, and its HTML is untrusted until sanitize-html.ts has rebuilt it on the page.
import JSZip from 'jszip';
import mammoth from 'mammoth';

// Word's Title and Subtitle styles are the document's heading; the rest is mammoth's default map.
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];

/** What the conversion yields (the worker's answer). */
export interface ConvertedDocx {
  /** mammoth's HTML: untrusted, for sanitize-html.ts only. */
  html: string;
  coreXml: string;
  customXml: string;
  /** mammoth's warnings (unknown styles and the like), for the console. */
  warnings: string[];
}

/** Unzips and converts a .docx (in the worker). @throws when it is not a readable Word document. */
export async function convertDocx(bytes: Uint8Array): Promise<ConvertedDocx> {
  const zip = await JSZip.loadAsync(bytes);
  const part = (name: string) => zip.file(name)?.async('string') ?? Promise.resolve('');
  const [coreXml, customXml, result] = await Promise.all([
    part('docProps/core.xml'),
    part('docProps/custom.xml'),
    // mammoth never reads files outside the package (externalFileAccess is off by default).
    mammoth.convertToHtml({ arrayBuffer: bytes.slice().buffer }, { styleMap: STYLE_MAP }),
  ]);
  return { html: result.value, coreXml, customXml, warnings: result.messages.map((m) => m.message) };
}
