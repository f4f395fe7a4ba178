// UI benchmark, run in real headless Chromium with the built extension (playwright-core):
// 20 000 clips over a 200-criterion framework written into the extension's IndexedDB (with the
// per-criterion coverage rows the extension keeps beside them), then
// - popup first render: navigation start → the popup's `qsi:popup-rendered` mark (coverage tree
//   on screen, from the cached counts); floor = navigation start → the popup's first script line
//   (loading the page and its first chunk, no data);
// - popup live coverage: navigation start → `qsi:popup-fresh` (Dexie loaded, coverage read from
//   the aggregates and rendered); floor = opening the database and reading the rows it reads
//   (coverage, assessments, frameworks, meta) with IndexedDB getAll in the same page, no rendering,
//   measured after each popup run (interleaved). For reference, the floor of the former path
//   (reading every clip) is measured at the end;
// - dashboard coverage: navigation start → `qsi:dashboard-coverage` (the headline figure on
//   screen), floor = the same small read in the dashboard page;
// - dashboard search: input event → results rendered, floor = reading the matching rows by key.
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { launchWithExtension } from '../tests/e2e/chromium';
import { type BenchResult, percentile } from './result';

const CLIPS = Number(process.env.BENCH_UI_CLIPS ?? 20_000);
const RUNS = Number(process.env.BENCH_UI_RUNS ?? 30);
const QUERIES = [
  'audit',
  'patient identification',
  'radiation protection',
  'review',
  'DEMO',
  'chaperone',
  'equipment maintenance',
  'policy owner',
  'consent',
  'dose',
];

export async function seed(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      new Promise<boolean>((resolve) => {
        const req = indexedDB.open('qsi-evidence-clipper');
        req.onsuccess = () => {
          const ok = req.result.objectStoreNames.contains('coverage');
          req.result.close();
          resolve(ok);
        };
        req.onerror = () => resolve(false);
      }),
  );
  await page.evaluate(async (n) => {
    const words =
      'patient identification radiation protection audit review policy procedure equipment maintenance consent chaperone dose exposure referral justification optimisation training competence quality management governance risk incident report minutes meeting owner version approval imaging department modality ultrasound magnetic resonance computed tomography fluoroscopy mammography'.split(
        ' ',
      );
    let seedN = 42;
    const rnd = () => {
      seedN = (seedN * 1103515245 + 12345) & 0x7fffffff;
      return seedN / 0x7fffffff;
    };
    // Zipf-like text: domain words a fifth of the time, otherwise a 4 000-word vocabulary.
    const syll = [
      'ra',
      'di',
      'o',
      'lo',
      'gy',
      'pro',
      'ce',
      'dure',
      'man',
      'age',
      'ment',
      'qual',
      'i',
      'ty',
      'ex',
      'po',
      'sure',
      'con',
      'trol',
      'nu',
      'cle',
      'ar',
      'ser',
      'vice',
    ];
    const vocab = Array.from({ length: 4000 }, (_, k) => {
      let w = '';
      for (let x = k + 7, parts = 2 + (k % 3); parts > 0; parts--, x = Math.floor(x / syll.length) + k * 13)
        w += syll[x % syll.length];
      return w;
    });
    const pick = () =>
      rnd() < 0.2
        ? (words[Math.floor(rnd() * words.length)] ?? 'x')
        : (vocab[Math.floor(rnd() * rnd() * vocab.length)] ?? 'x');
    const sentence = (k: number) => Array.from({ length: k }, pick).join(' ');
    const domains = Array.from({ length: 4 }, (_, d) => ({
      id: `d${d}`,
      title: `Domain ${d + 1} ${sentence(2)}`,
      standards: Array.from({ length: 5 }, (_, s) => ({
        id: `d${d}-s${s}`,
        title: `Standard ${d + 1}.${s + 1} ${sentence(3)}`,
        criteria: Array.from({ length: 10 }, (_, c) => {
          const code = `B-${d + 1}${s + 1}-${String(c + 1).padStart(2, '0')}`;
          return { id: `bench:${code}`, code, title: `${sentence(8)} (${code})` };
        }),
      })),
    }));
    const framework = {
      format: 'qsi-evidence-clipper/framework@1',
      id: 'bench',
      name: 'Benchmark framework (200 criteria)',
      domains,
    };
    const criteria = domains.flatMap((d) => d.standards.flatMap((s) => s.criteria.map((c) => c.id)));
    const hex = (x: number, l: number) => x.toString(16).padStart(l, '0');
    const clips = Array.from({ length: n }, (_, i) => {
      const quote = `${sentence(25)}.`;
      const tagged = Array.from(
        { length: 1 + Math.floor(rnd() * 3) },
        () => criteria[Math.floor(rnd() * criteria.length)] ?? '',
      );
      const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      const r = rnd();
      return {
        id: `${hex(i, 8)}-0000-4000-8000-${hex(i, 12)}`,
        url: `https://intranet.example/doc/${i % 700}`,
        docKey: `https://intranet.example/doc/${i % 700}`,
        title: `Policy ${i % 700} ${sentence(3)}`,
        selectors: [
          { type: 'TextQuoteSelector', exact: quote, prefix: sentence(30), suffix: sentence(30) },
          { type: 'TextPositionSelector', start: 100, end: 100 + quote.length },
        ],
        quote,
        criteria: [...new Set(tagged)],
        note: r < 0.3 ? sentence(12) : '',
        docMeta:
          r < 0.1 ? { reviewDue: '2025-01-01' } : { reviewDue: '2028-01-01', documentId: `POL-${i % 700}` },
        snapshot: { text: sentence(200), sha256: hex(i, 64) },
        createdBy: { id: `u${i % 12}`, name: `User ${i % 12}` },
        createdAt: at,
        updatedAt: at,
        deleted: r > 0.98,
        ...(r > 0.95 && r <= 0.98 ? { anchor: { status: 'lost', checkedAt: at } } : {}),
      };
    });
    // The rows the extension keeps per criterion (shared/coverage-aggregate.ts), counted here
    // because these clips are written behind Dexie's back.
    const coverage = new Map<
      string,
      { criterionId: string; live: number; lost: number; reviewDue: Record<string, number> }
    >();
    for (const c of clips) {
      if (c.deleted) continue;
      for (const id of c.criteria) {
        const row = coverage.get(id) ?? { criterionId: id, live: 0, lost: 0, reviewDue: {} };
        row.live += 1;
        if (c.anchor?.status === 'lost') row.lost += 1;
        else row.reviewDue[c.docMeta.reviewDue] = (row.reviewDue[c.docMeta.reviewDue] ?? 0) + 1;
        coverage.set(id, row);
      }
    }
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('qsi-evidence-clipper');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(['clips', 'frameworks', 'meta', 'assessments', 'coverage'], 'readwrite');
      tx.objectStore('frameworks').put(framework);
      tx.objectStore('meta').put({ key: 'activeFrameworkId', value: 'bench' });
      for (const c of clips) tx.objectStore('clips').put(c);
      for (const row of coverage.values()) tx.objectStore('coverage').put(row);
      for (const id of criteria.slice(0, 60))
        tx.objectStore('assessments').put({
          criterionId: id,
          rating: 'amber',
          owner: 'x',
          action: '',
          comment: '',
          updatedAt: '2026-01-01T00:00:00.000Z',
        });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, CLIPS);
}

/** Opening the database and getAll of `stores` in one transaction, in ms. */
async function readFloor(page: Page, stores: string[]): Promise<number> {
  return page.evaluate(async (names) => {
    const t0 = performance.now();
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('qsi-evidence-clipper');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = db.transaction(names, 'readonly');
    const get = (s: string) =>
      new Promise((resolve) => {
        const r = tx.objectStore(s).getAll();
        r.onsuccess = () => resolve(r.result);
      });
    await Promise.all(names.map(get));
    const t = performance.now() - t0;
    db.close();
    return t;
  }, stores);
}

/** What the live coverage reads (lib/store/read-coverage.ts). */
const COVERAGE_ROWS = ['coverage', 'assessments', 'frameworks', 'meta'];
/** What the live coverage read before the aggregates: every clip. */
const ALL_CLIP_ROWS = ['clips', 'assessments', 'frameworks', 'meta'];

export default async function uiBench(emit: (r: BenchResult) => void): Promise<void> {
  // The same build the e2e tests load (tests/e2e/global-setup.ts), made fresh for this run.
  execFileSync('npx', ['wxt', 'build'], {
    stdio: 'pipe',
    env: { ...process.env, QSI_E2E_HOST_PERMISSIONS: '1' },
  });
  const browser = await launchWithExtension();
  try {
    // tsx keeps function names with a `__name` helper that page.evaluate'd code does not have.
    await browser.context.addInitScript('globalThis.__name = (f) => f');
    const page = await browser.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') console.error('[ui.bench] page error:', m.text());
    });
    page.on('pageerror', (e) => console.error('[ui.bench] page exception:', e.message));
    await page.goto(browser.url('dashboard.html'));
    const s0 = Date.now();
    console.error('[ui.bench] seeding', CLIPS, 'clips');
    await seed(page);
    console.error('[ui.bench] seeded in', Date.now() - s0, 'ms');
    emit({ name: 'ui.seed-20k-clips', value: Date.now() - s0, unit: 'ms' });

    // Popup first render.
    const popup = await browser.context.newPage();
    popup.on('pageerror', (e) => console.error('[ui.bench] popup exception:', e.message));
    await popup.setViewportSize({ width: 420, height: 600 });
    const render: number[] = [];
    const loaded: number[] = [];
    const scriptAt: number[] = [];
    const cacheAt: number[] = [];
    const fresh: number[] = [];
    const liveAt: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < RUNS + 2; i++) {
      await popup.goto(browser.url('popup.html'));
      // Wait for the fresh computation too: it also refreshes the cache the next open paints from.
      await popup.waitForFunction(
        () => performance.getEntriesByName('qsi:popup-fresh').length > 0,
        undefined,
        {
          timeout: 120_000,
        },
      );
      const [t, tf, dcl, ts, tc, tl] = await popup.evaluate(() => [
        performance.getEntriesByName('qsi:popup-rendered')[0]?.startTime ?? -1,
        performance.getEntriesByName('qsi:popup-fresh')[0]?.startTime ?? -1,
        (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)
          ?.domContentLoadedEventEnd ?? -1,
        performance.getEntriesByName('qsi:popup-script')[0]?.startTime ?? -1,
        performance.getEntriesByName('qsi:popup-cache-read')[0]?.startTime ?? -1,
        performance.getEntriesByName('qsi:popup-live-loaded')[0]?.startTime ?? -1,
      ]);
      await new Promise((r) => setTimeout(r, 300)); // let the cache write commit
      const f = await readFloor(popup, COVERAGE_ROWS);
      if (i >= 2) {
        render.push(t ?? -1);
        loaded.push(dcl ?? -1);
        scriptAt.push(ts ?? -1);
        cacheAt.push(tc ?? -1);
        fresh.push(tf ?? -1);
        liveAt.push(tl ?? -1);
        floor.push(f);
      }
    }
    // The former path's floor, after the popup runs: each read's 20 000 rows of garbage would land
    // in the next popup's render (extension pages share one renderer process and heap).
    const oldFloor: number[] = [];
    for (let i = 0; i < 5; i++) oldFloor.push(await readFloor(popup, ALL_CLIP_ROWS));
    emit({
      name: 'ui.popup-first-render.p50',
      value: percentile(render, 50),
      unit: 'ms',
      floor: percentile(scriptAt, 50),
      target: '< 100 ms',
    });
    emit({
      name: 'ui.popup-first-render.p95',
      value: percentile(render, 95),
      unit: 'ms',
      floor: percentile(scriptAt, 95),
      target: '< 100 ms',
    });
    // How much of the first render is just loading the page and its scripts (no data at all).
    emit({ name: 'ui.popup-dom-content-loaded.p50', value: percentile(loaded, 50), unit: 'ms' });
    // Where the first render's time goes: navigation until our first script line runs, then the
    // raw IndexedDB read of the cached coverage, then Preact's render.
    emit({ name: 'ui.popup-script-start.p50', value: percentile(scriptAt, 50), unit: 'ms' });
    emit({ name: 'ui.popup-cache-read-done.p50', value: percentile(cacheAt, 50), unit: 'ms' });
    emit({
      name: 'ui.popup-fresh-coverage.p50',
      value: percentile(fresh, 50),
      unit: 'ms',
      floor: percentile(floor, 50),
      target: '< 100 ms',
    });
    emit({
      name: 'ui.popup-fresh-coverage.p95',
      value: percentile(fresh, 95),
      unit: 'ms',
      floor: percentile(floor, 95),
      target: '< 100 ms',
    });
    // The live figure less the page load (navigation → first script line), run by run.
    const afterScript = fresh.map((t, i) => t - (scriptAt[i] ?? 0));
    emit({ name: 'ui.popup-fresh-after-script.p50', value: percentile(afterScript, 50), unit: 'ms' });
    emit({ name: 'ui.popup-fresh-after-script.p95', value: percentile(afterScript, 95), unit: 'ms' });
    // Where the live figure's time goes: the second chunk (Dexie) loaded, then the read and render.
    emit({ name: 'ui.popup-live-chunk-loaded.p50', value: percentile(liveAt, 50), unit: 'ms' });
    emit({ name: 'ui.read-every-clip.p50', value: percentile(oldFloor, 50), unit: 'ms' });
    console.error('[ui.bench] popup done');
    // Dashboard: navigation start → the headline coverage on screen (it does not wait for the
    // 20 000 clips the library reads).
    const dash = await browser.context.newPage();
    const dcov: number[] = [];
    const dfloor: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 15) + 2; i++) {
      await dash.goto('about:blank'); // a new document each time, not a same-page hash change
      await dash.goto(browser.url('dashboard.html#/criteria'));
      await dash.waitForFunction(
        () => performance.getEntriesByName('qsi:dashboard-coverage').length > 0,
        undefined,
        {
          timeout: 120_000,
        },
      );
      const t = await dash.evaluate(
        () => performance.getEntriesByName('qsi:dashboard-coverage')[0]?.startTime ?? -1,
      );
      // Let the page's own read of every clip finish before the next navigation and the floor.
      await dash.waitForSelector('.masthead-tools select', { timeout: 120_000 });
      const f = await readFloor(dash, COVERAGE_ROWS);
      if (i >= 2) {
        dcov.push(t);
        dfloor.push(f);
      }
    }
    await dash.close();
    emit({
      name: 'ui.dashboard-coverage.p50',
      value: percentile(dcov, 50),
      unit: 'ms',
      floor: percentile(dfloor, 50),
      target: '< 100 ms',
    });
    emit({
      name: 'ui.dashboard-coverage.p95',
      value: percentile(dcov, 95),
      unit: 'ms',
      floor: percentile(dfloor, 95),
      target: '< 100 ms',
    });
    // Dashboard search (index built once when the library opens).
    await page.goto(`${browser.url('dashboard.html')}#/library`);
    await page.reload(); // the rows were written behind Dexie's back: load them afresh
    await page.waitForSelector('#library-search', { timeout: 120_000 });
    await page.waitForSelector('.clip-table', { timeout: 120_000 });
    const search: number[] = [];
    const sfloor: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const q of QUERIES) {
        const r = await page.evaluate(async (query) => {
          const input = document.getElementById('library-search') as HTMLInputElement;
          input.value = '';
          input.dispatchEvent(new Event('input', { bubbles: true }));
          await new Promise((res) => setTimeout(res, 0));
          const t0 = performance.now();
          input.value = query;
          input.dispatchEvent(new Event('input', { bubbles: true }));
          await new Promise((res) => setTimeout(res, 0));
          const t = performance.now() - t0;
          // Floor: read the rows now on screen from IndexedDB by key, no rendering.
          const ids = [
            ...document.querySelectorAll<HTMLInputElement>('.clip-table tbody input[type=checkbox]'),
          ].map((el) => el.closest('tr')?.querySelector('blockquote')?.textContent ?? '');
          const count = ids.length;
          const f0 = performance.now();
          const db = await new Promise<IDBDatabase>((resolve) => {
            const req = indexedDB.open('qsi-evidence-clipper');
            req.onsuccess = () => resolve(req.result);
          });
          const matched =
            Number((document.querySelector('.result-count')?.textContent ?? '0').replace(/\D.*$/s, '')) || 0;
          await new Promise<void>((resolve) => {
            const tx = db.transaction('clips', 'readonly');
            const store = tx.objectStore('clips');
            const hex = (x: number, l: number) => x.toString(16).padStart(l, '0');
            for (let k = 0; k < Math.min(matched, 100); k++)
              store.get(`${hex(k, 8)}-0000-4000-8000-${hex(k, 12)}`);
            tx.oncomplete = () => resolve();
          });
          const f = performance.now() - f0;
          db.close();
          return { t, f, count };
        }, q);
        if (round > 0) {
          search.push(r.t);
          sfloor.push(r.f);
        }
      }
    }
    emit({
      name: 'ui.dashboard-search.p50',
      value: percentile(search, 50),
      unit: 'ms',
      floor: percentile(sfloor, 50),
      target: '< 50 ms',
    });
    emit({
      name: 'ui.dashboard-search.p95',
      value: percentile(search, 95),
      unit: 'ms',
      floor: percentile(sfloor, 95),
    });
  } finally {
    await browser.close();
  }
}
