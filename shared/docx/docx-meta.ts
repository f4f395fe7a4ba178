// Document metadata of a Word document: title, version, author, last modified and review date
// from the package's properties (docProps/core.xml, docProps/custom.xml, where a DMS writes
// Version or ReviewDate) and from the document-control table on the first page, which wins where
// both say something. Pure string parsing (no DOM): the two property parts are small and flat.
import { parseDocMeta } from '../doc-meta';
import type { DocMeta } from '../schemas';

export interface DocxProperties {
  title?: string;
  author?: string;
  /** ISO date (YYYY-MM-DD) of the last save. */
  lastModified?: string;
  /** `cp:version` or a custom Version property. */
  version?: string;
  /** Custom properties by name (Version, ReviewDate, DocumentId, Owner, …). */
  custom: Record<string, string>;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes XML character and predefined entity references (nothing else is legal in these parts). */
export function decodeXmlText(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (m, ref: string) => {
    if (ref[0] !== '#') return ENTITIES[ref.toLowerCase()] ?? m;
    const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** Text of the first `<prefix:name …>…</prefix:name>` element, whatever its namespace prefix. */
function element(xml: string, name: string): string | undefined {
  const m = new RegExp(
    `<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}\\s*>`,
    'i',
  ).exec(xml);
  if (!m) return undefined;
  const text = decodeXmlText((m[1] ?? '').replace(/<[^>]*>/g, '')).trim();
  return text ? text.slice(0, 1000) : undefined;
}

/** Reads core.xml (Dublin Core + OPC core properties) and custom.xml (named custom properties). */
export function parseDocxProperties(coreXml: string, customXml = ''): DocxProperties {
  const custom: Record<string, string> = {};
  const propRe = /<(?:[\w.-]+:)?property\b([^>]*)>([\s\S]*?)<\/(?:[\w.-]+:)?property\s*>/gi;
  for (let m = propRe.exec(customXml); m; m = propRe.exec(customXml)) {
    const name =
      /\bname\s*=\s*"([^"]*)"/i.exec(m[1] ?? '')?.[1] ?? /\bname\s*=\s*'([^']*)'/i.exec(m[1] ?? '')?.[1];
    const value = decodeXmlText((m[2] ?? '').replace(/<[^>]*>/g, '')).trim();
    if (name && value && Object.keys(custom).length < 200)
      custom[decodeXmlText(name).trim()] = value.slice(0, 1000);
  }
  const modified = element(coreXml, 'modified');
  const lastModified = modified && /^\d{4}-\d{2}-\d{2}/.test(modified) ? modified.slice(0, 10) : undefined;
  const versionKey = Object.keys(custom).find((k) =>
    /^(?:document\s*)?version$/i.test(k.replace(/[_-]/g, ' ')),
  );
  const version = (versionKey ? custom[versionKey] : undefined) ?? element(coreXml, 'version');
  const props: DocxProperties = { custom };
  const title = element(coreXml, 'title');
  const author = element(coreXml, 'creator');
  if (title) props.title = title;
  if (author) props.author = author;
  if (lastModified) props.lastModified = lastModified;
  if (version) props.version = version;
  return props;
}

/** Properties as "Label: value" lines, for the one document-control parser. */
function propertyLines(p: DocxProperties): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(p.custom)) {
    const label = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
    lines.push(`${label}: ${value}`);
  }
  if (p.version && !lines.some((l) => /^version:/i.test(l))) lines.push(`Version: ${p.version}`);
  if (p.author) lines.push(`Author: ${p.author}`);
  return lines.join('\n');
}

/**
 * A document-control table's rows in the form the parser reads from a page's text: cells
 * separated by tabs, rows by line breaks (label/value rows and header rows over value rows).
 */
export function controlTableLines(rows: readonly (readonly string[])[]): string {
  return rows
    .slice(0, 40)
    .map((r) =>
      r
        .slice(0, 12)
        .map((c) => c.replace(/\s+/g, ' ').trim())
        .join('\t'),
    )
    .join('\n');
}

export interface DocxMetaInput {
  coreXml: string;
  customXml?: string;
  /** Rows of the first table near the start of the document (the document-control table), if any. */
  firstTable?: readonly (readonly string[])[];
  /** The document's first heading or paragraph, the title when the properties have none. */
  firstLine?: string;
}

export interface DocxMeta {
  title: string;
  /** The fields a clip records (the table's over the properties'). */
  docMeta: DocMeta;
  author?: string;
  lastModified?: string;
}

/** Title and document-control fields of a Word document. */
export function docxDocMeta(input: DocxMetaInput): DocxMeta {
  const props = parseDocxProperties(input.coreXml, input.customXml);
  const fromProps = parseDocMeta(propertyLines(props));
  const fromTable = input.firstTable ? parseDocMeta(controlTableLines(input.firstTable)) : {};
  const meta: DocxMeta = {
    title: (props.title || (input.firstLine ?? '').trim()).slice(0, 1000),
    docMeta: { ...fromProps, ...fromTable },
  };
  if (props.author) meta.author = props.author;
  if (props.lastModified) meta.lastModified = props.lastModified;
  return meta;
}
