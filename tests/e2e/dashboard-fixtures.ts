// Seed data and helpers for the popup/dashboard end-to-end tests: realistic clips over the demo
// framework, written straight into the extension's IndexedDB from an extension page.
import type { Page } from 'playwright-core';
import { recountAggregates } from '../../shared/coverage-aggregate';
import type { Assessment, Clip } from '../../shared/schemas';

const SITES = {
  intranet: 'https://intranet.example-trust.nhs.uk',
  dms: 'https://dms.example-trust.nhs.uk',
};

interface Seed {
  code: string[];
  quote: string;
  title: string;
  path: string;
  site: keyof typeof SITES;
  author: string;
  note?: string;
  reviewDue?: string;
  documentId?: string;
  anchor?: 'lost' | 'relocated';
  day: string;
}

const SEEDS: Seed[] = [
  {
    code: ['DEMO-LM-01', 'DEMO-LM-02'],
    quote:
      'Every controlled document carries a unique reference, a version number, a named owner and a review date no more than three years after approval.',
    title: 'Document control policy',
    path: '/policies/document-control',
    site: 'dms',
    author: 'Priya Shah',
    note: 'Section 4.2 — applies to all imaging SOPs.',
    documentId: 'RAD-POL-001',
    reviewDue: '2027-06-30',
    day: '2026-10-02',
  },
  {
    code: ['DEMO-LM-03'],
    quote:
      'The audit programme covers CT, MRI, ultrasound, plain film and interventional radiology every year.',
    title: 'Radiology audit programme 2026/27',
    path: '/quality/audit-programme',
    site: 'intranet',
    author: 'Tom Okafor',
    reviewDue: '2025-03-31',
    documentId: 'RAD-AUD-014',
    day: '2026-09-14',
  },
  {
    code: ['DEMO-LM-05'],
    quote: 'The imaging management review meets quarterly; minutes are approved at the following meeting.',
    title: 'Imaging governance terms of reference',
    path: '/governance/terms-of-reference',
    site: 'intranet',
    author: 'Priya Shah',
    day: '2026-11-03',
  },
  {
    code: ['DEMO-CL-01'],
    quote:
      'Before any exposure the operator confirms the patient’s full name, date of birth and first line of address against the request, using open questions.',
    title: 'IR(ME)R employer’s procedure A: patient identification',
    path: '/irmer/procedure-a',
    site: 'dms',
    author: 'Grace Lee',
    note: 'Employer’s procedure A, current version.',
    documentId: 'IRMER-EP-A',
    reviewDue: '2027-01-31',
    day: '2026-11-20',
  },
  {
    code: ['DEMO-CL-02'],
    quote:
      'Entitlement of referrers, practitioners and operators is recorded in the departmental scheme of work.',
    title: 'IR(ME)R employer’s procedure B: entitlement',
    path: '/irmer/procedure-b',
    site: 'dms',
    author: 'Grace Lee',
    anchor: 'relocated',
    day: '2026-11-21',
  },
  {
    code: ['DEMO-CL-03'],
    quote:
      'Individuals of childbearing potential aged 12 to 55 are asked about pregnancy before abdominal exposures.',
    title: 'IR(ME)R employer’s procedure C: pregnancy enquiries',
    path: '/irmer/procedure-c',
    site: 'dms',
    author: 'Grace Lee',
    anchor: 'lost',
    day: '2026-08-05',
  },
  {
    code: ['DEMO-FR-01', 'DEMO-FR-02'],
    quote:
      'Equipment is replaced according to the ten-year capital plan reviewed by the medical devices group.',
    title: 'Medical devices management',
    path: '/estates/medical-devices',
    site: 'intranet',
    author: 'Tom Okafor',
    day: '2026-07-19',
  },
  {
    code: ['DEMO-PE-01'],
    quote: 'Patients receive written information about their examination with their appointment letter.',
    title: 'Patient information standards',
    path: '/patients/information',
    site: 'intranet',
    author: 'Sam Rivera',
    day: '2026-10-28',
  },
  {
    code: ['DEMO-PE-02'],
    quote: 'Chaperones are offered for intimate examinations and the offer is recorded on the RIS.',
    title: 'Chaperone policy',
    path: '/patients/chaperones',
    site: 'intranet',
    author: 'Sam Rivera',
    note: '=HYPERLINK("http://evil.example") test note that must stay text',
    day: '2026-11-11',
  },
  {
    code: [],
    quote: 'Staff complete statutory and mandatory training every year, tracked by the learning hub.',
    title: 'Training needs analysis',
    path: '/workforce/training',
    site: 'intranet',
    author: 'Tom Okafor',
    day: '2026-11-25',
  },
];

const hex = (n: number, len: number) => n.toString(16).padStart(len, '0');
const uuid = (i: number) => `${hex(i + 1, 8)}-0000-4000-8000-${hex(i + 1, 12)}`;

/** Ten clips over the demo framework: fresh, review-overdue, lost, relocated and untagged ones. */
export function demoClips(): Clip[] {
  return SEEDS.map((s, i) => {
    const url = `${SITES[s.site]}${s.path}`;
    const created = `${s.day}T10:${hex(i, 2).replace(/[a-f]/g, '1')}:00.000Z`;
    const clip: Clip = {
      id: uuid(i),
      url,
      docKey: url,
      title: s.title,
      selectors: [
        {
          type: 'TextQuoteSelector',
          exact: s.quote,
          prefix: 'The following applies across the imaging department. ',
          suffix: ' This is monitored by the quality lead.',
        },
        { type: 'TextPositionSelector', start: 120, end: 120 + s.quote.length },
      ],
      quote: s.quote,
      criteria: s.code.map((c) => `demo:${c}`),
      note: s.note ?? '',
      docMeta: {
        ...(s.documentId ? { documentId: s.documentId, version: '3.1', owner: 'Imaging quality lead' } : {}),
        ...(s.reviewDue ? { reviewDue: s.reviewDue } : {}),
      },
      snapshot: { text: s.quote, sha256: hex(i + 1, 2).repeat(32) },
      createdBy: { id: s.author.toLowerCase().replace(/\W+/g, '-'), name: s.author },
      createdAt: created,
      updatedAt: created,
      deleted: false,
      ...(s.anchor ? { anchor: { status: s.anchor, checkedAt: created } } : {}),
    };
    return clip;
  });
}

export function demoAssessments(): Assessment[] {
  return [
    {
      criterionId: 'demo:DEMO-LM-01',
      rating: 'green',
      owner: 'Priya Shah',
      action: '',
      comment: 'Document control audited in September.',
      updatedAt: '2026-11-01T09:00:00.000Z',
    },
    {
      criterionId: 'demo:DEMO-FR-05',
      rating: 'n/a',
      owner: '',
      action: '',
      comment: 'No mobile units in this service.',
      updatedAt: '2026-11-01T09:00:00.000Z',
    },
  ];
}

/**
 * Waits until the background has seeded the frameworks, then writes rows with raw IndexedDB
 * (`active`: the active framework's id).
 */
export async function seed(
  page: Page,
  rows: { clips?: Clip[]; assessments?: Assessment[]; active?: string },
): Promise<void> {
  await page.waitForFunction(
    () =>
      new Promise<boolean>((resolve) => {
        const req = indexedDB.open('qsi-evidence-clipper');
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('frameworks')) {
            db.close();
            resolve(false);
            return;
          }
          const c = db.transaction('frameworks').objectStore('frameworks').count();
          c.onsuccess = () => {
            db.close();
            resolve(c.result >= 1);
          };
        };
        req.onerror = () => resolve(false);
      }),
  );
  await page.evaluate(
    (r) =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('qsi-evidence-clipper');
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction(['clips', 'assessments', 'meta'], 'readwrite');
          for (const c of r.clips ?? []) tx.objectStore('clips').put(c);
          for (const a of r.assessments ?? []) tx.objectStore('assessments').put(a);
          if (r.active) tx.objectStore('meta').put({ key: 'activeFrameworkId', value: r.active });
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
        req.onerror = () => reject(req.error);
      }),
    rows,
  );
  await recountCoverage(page);
}

/**
 * Rewrites the per-criterion coverage rows from the stored clips: rows written straight into
 * IndexedDB bypass the Dexie middleware that keeps them (extension/lib/store/coverage-aggregates.ts).
 */
export async function recountCoverage(page: Page): Promise<void> {
  const rows = recountAggregates(await readStore<Clip>(page, 'clips'));
  await page.evaluate(
    (r) =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('qsi-evidence-clipper');
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction('coverage', 'readwrite');
          tx.objectStore('coverage').clear();
          for (const row of r) tx.objectStore('coverage').put(row);
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
        req.onerror = () => reject(req.error);
      }),
    rows,
  );
}

/** Reads every row of a store (for round-trip comparisons). */
export async function readStore<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const req = indexedDB.open('qsi-evidence-clipper');
        req.onsuccess = () => {
          const db = req.result;
          const all = db.transaction(name).objectStore(name).getAll();
          all.onsuccess = () => {
            db.close();
            resolve(all.result as T[]);
          };
          all.onerror = () => reject(all.error);
        };
      }),
    store,
  );
}

/** Clears clips and assessments (between tests sharing one browser). */
export async function clearData(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('qsi-evidence-clipper');
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction(['clips', 'assessments', 'coverage'], 'readwrite');
          tx.objectStore('clips').clear();
          tx.objectStore('assessments').clear();
          tx.objectStore('coverage').clear();
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}
