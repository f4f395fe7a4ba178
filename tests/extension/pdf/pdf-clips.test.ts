// PDF clips in the background: one document by URL or fingerprint, re-anchoring
// reports and moves accepted for the same file reached through another address.
import { beforeEach, describe, expect, test } from 'vitest';
import browser from 'webextension-polyfill';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handleMessage } from '../../../extension/lib/background/handlers';
import { createDb } from '../../../extension/lib/db';
import { seedFrameworks } from '../../../extension/lib/frameworks';
import type { ClipDraft, PageClip } from '../../../extension/lib/messaging';

const FILE = 'https://dms.example.nhs.uk/documents/radiation-incident-policy.pdf';
const DMS = 'https://dms.example.nhs.uk/view?doc=IMG-POL-031';
const V1 = '1'.repeat(64);
const V2 = '2'.repeat(64);
let db: ReturnType<typeof createDb>;
const viewer = () => ({ id: browser.runtime.id, url: browser.runtime.getURL('/pdf-viewer.html') }) as never;

const draft = (url: string, fingerprint: string): ClipDraft => ({
  url,
  title: 'Radiation Incident Reporting Policy',
  selectors: [
    {
      type: 'TextQuoteSelector',
      exact: 'within two working days',
      prefix: 'reviews each report ',
      suffix: ' and',
    },
    { type: 'TextPositionSelector', start: 100, end: 123 },
    { type: 'PageSelector', index: 0, label: '1', fingerprint },
  ],
  quote: 'within two working days',
  criteria: ['demo:DEMO-CL-01'],
  note: '',
  docMeta: { documentId: 'IMG-POL-031' },
  snapshotText: 'The radiation protection supervisor reviews each report within two working days',
});

async function clipsFor(url: string, fingerprint?: string): Promise<PageClip[]> {
  const reply = await handleMessage({ name: 'getPageClips', body: { url, fingerprint } }, viewer(), db);
  if (!reply.ok) throw new Error(reply.error.message);
  return (reply.value as { clips: PageClip[] }).clips;
}

beforeEach(async () => {
  fakeBrowser.reset();
  db = createDb(`test-${crypto.randomUUID()}`);
  await seedFrameworks(db);
});

describe('PDF clips', () => {
  test('the viewer saves a PDF clip; the same file through a DMS link finds it; a new version at the URL too', async () => {
    const saved = await handleMessage({ name: 'saveClip', body: { draft: draft(FILE, V1) } }, viewer(), db);
    expect(saved.ok).toBe(true);
    expect(await clipsFor(FILE, V1)).toHaveLength(1);
    expect(await clipsFor(DMS, V1)).toHaveLength(1); // same bytes, other address
    expect(await clipsFor(FILE, V2)).toHaveLength(1); // new version, same address
    expect(await clipsFor(DMS, V2)).toHaveLength(0); // other address, other file
    expect(await clipsFor(DMS)).toHaveLength(0); // a web page at that address
  });

  test('anchor reports and confirmed moves are accepted for the same file at another address', async () => {
    await handleMessage({ name: 'saveClip', body: { draft: draft(FILE, V1) } }, viewer(), db);
    const [clip] = await db.clips.toArray();
    const id = clip?.id ?? '';
    const report = await handleMessage(
      { name: 'reportAnchors', body: { url: DMS, fingerprint: V1, results: [{ id, status: 'relocated' }] } },
      viewer(),
      db,
    );
    expect(report.ok && (report.value as { updated: number }).updated).toBe(1);
    const moved = await handleMessage(
      {
        name: 'moveClip',
        body: { id, url: DMS, quote: 'within two working days', selectors: draft(DMS, V1).selectors },
      },
      viewer(),
      db,
    );
    expect(moved.ok).toBe(true);
    const other = await handleMessage(
      {
        name: 'moveClip',
        body: { id, url: DMS, quote: 'within two working days', selectors: draft(DMS, V2).selectors },
      },
      viewer(),
      db,
    );
    expect(other.ok).toBe(false);
  });
});
