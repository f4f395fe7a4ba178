// The evidence pack's content, grouped domain → standard → criterion, for the assessor. Pure:
// the extension page renders it; links carry text fragments so they land on the passage.
import { type Coverage, computeCoverage, type Rag, type StaleReason, staleReason } from '../coverage';
import { docxClipLink } from '../docx/docx-link';
import { pdfClipLink, pdfClipPage } from '../pdf/viewer-link';
import { isHttpUrl } from '../safe-url';
import type { Assessment, Clip, DocMeta, Framework, Rating } from '../schemas';
import { textFragmentUrl } from '../text-fragment';

export interface PackEvidence {
  id: string;
  quote: string;
  prefix: string;
  suffix: string;
  note: string;
  author: string;
  createdAt: string;
  /** Who last wrote the clip and when, when that is known and not its author. */
  lastEditor?: { name: string; at: string };
  title: string;
  url: string;
  /**
   * http(s) link with a `#:~:text=` directive; for a PDF or Word-document clip the viewer at the
   * passage (when the pack is given the viewers' addresses); `undefined` when the URL is not http(s).
   */
  link: string | undefined;
  /** PDF clips: the file itself at the passage's page (`#page=n`), for readers without the extension. */
  pdfLink?: string;
  /** Word-document clips: the .docx file itself, for readers without the extension. */
  fileLink?: string;
  docMeta: DocMeta;
  snapshotSha256: string | undefined;
  stale: StaleReason | undefined;
}

export interface PackCriterion {
  id: string;
  code: string;
  title: string;
  rag: Rag;
  rating: Rating;
  assessment: Assessment | undefined;
  evidence: PackEvidence[];
}

export interface PackDomain {
  id: string;
  title: string;
  rag: Rag;
  standards: { id: string; title: string; rag: Rag; criteria: PackCriterion[] }[];
}

export interface EvidencePack {
  framework: { id: string; name: string; edition?: string; notice?: string };
  generatedAt: string;
  today: string;
  coverage: Coverage;
  domains: PackDomain[];
  totalClips: number;
}

function evidenceOf(
  clip: Clip,
  today: string,
  viewers: { pdfViewer?: string; docxViewer?: string },
): PackEvidence {
  const q = clip.selectors.find((s) => s.type === 'TextQuoteSelector');
  const prefix = q?.type === 'TextQuoteSelector' ? (q.prefix ?? '') : '';
  const suffix = q?.type === 'TextQuoteSelector' ? (q.suffix ?? '') : '';
  return {
    id: clip.id,
    quote: clip.quote,
    prefix,
    suffix,
    note: clip.note,
    author: clip.createdBy.name,
    createdAt: clip.createdAt,
    ...(clip.updatedBy && clip.updatedBy.id !== clip.createdBy.id
      ? { lastEditor: { name: clip.updatedBy.name, at: clip.updatedAt } }
      : {}),
    title: clip.title,
    url: clip.url,
    // Only http(s) sources get a link (a PDF clip: the extension's viewer at the passage).
    link: !isHttpUrl(clip.url)
      ? undefined
      : (pdfClipLink(clip, viewers.pdfViewer) ??
        (viewers.docxViewer ? docxClipLink(clip, viewers.docxViewer) : undefined) ??
        textFragmentUrl(clip.url, clip.quote, prefix, suffix)),
    ...(isHttpUrl(clip.url) && pdfClipPage(clip) !== undefined ? { pdfLink: pdfClipLink(clip) } : {}),
    ...(isHttpUrl(clip.url) && docxClipLink(clip) !== undefined ? { fileLink: docxClipLink(clip) } : {}),
    docMeta: clip.docMeta,
    snapshotSha256: clip.snapshot?.sha256,
    stale: staleReason(clip, today),
  };
}

/** Builds the pack for one framework. Evidence within a criterion: fresh first, then newest first. */
export function buildEvidencePack(input: {
  framework: Framework;
  clips: readonly Clip[];
  assessments: readonly Assessment[];
  today: string;
  generatedAt: string;
  /** Address of the extension's PDF viewer: PDF clips then link to it at the passage. */
  pdfViewer?: string;
  /** Address of the extension's Word document viewer: Word clips then link to it at the passage. */
  docxViewer?: string;
}): EvidencePack {
  const { framework, clips, assessments, today, pdfViewer, docxViewer } = input;
  const coverage = computeCoverage({ framework, clips, assessments, today });
  const clipById = new Map(clips.filter((c) => !c.deleted).map((c) => [c.id, c]));
  const assessmentById = new Map(assessments.map((a) => [a.criterionId, a]));
  const used = new Set<string>();
  const domains = coverage.domains.map(
    (d): PackDomain => ({
      id: d.id,
      title: d.title,
      rag: d.rag,
      standards: d.standards.map((s) => ({
        id: s.id,
        title: s.title,
        rag: s.rag,
        criteria: s.criteria.map((c): PackCriterion => {
          const evidence = c.clipIds
            .map((id) => clipById.get(id))
            .filter((x): x is Clip => x !== undefined)
            .map((clip) => {
              used.add(clip.id);
              return evidenceOf(clip, today, { pdfViewer, docxViewer });
            })
            .sort(
              (a, b) =>
                Number(a.stale !== undefined) - Number(b.stale !== undefined) ||
                b.createdAt.localeCompare(a.createdAt),
            );
          return {
            id: c.id,
            code: c.code,
            title: c.title,
            rag: c.rag,
            rating: c.rating,
            assessment: assessmentById.get(c.id),
            evidence,
          };
        }),
      })),
    }),
  );
  return {
    framework: {
      id: framework.id,
      name: framework.name,
      ...(framework.edition ? { edition: framework.edition } : {}),
      ...(framework.notice ? { notice: framework.notice } : {}),
    },
    generatedAt: input.generatedAt,
    today,
    coverage,
    domains,
    totalClips: used.size,
  };
}
