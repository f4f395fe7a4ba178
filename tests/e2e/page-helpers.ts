// Page-side helpers for end-to-end tests: select a passage like a user would, and read what the
// extension painted through the CSS Custom Highlight API (visible from the page's own world).
import type { Frame, Page } from 'playwright-core';

/** Selects the first occurrence of `text` (inside one text node, whitespace-normalised). */
export async function selectText(target: Page | Frame, text: string): Promise<void> {
  const found = await target.evaluate((needle) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const value = (n.nodeValue ?? '').replace(/\s+/g, ' ');
      const raw = n.nodeValue ?? '';
      const at = value.indexOf(needle);
      if (at < 0) continue;
      // Map normalised offsets back to the raw node text.
      let ri = 0;
      let ni = 0;
      const map: number[] = [];
      while (ri < raw.length) {
        const isSpace = /\s/.test(raw.charAt(ri));
        map[ni] = ri;
        if (isSpace) {
          while (ri < raw.length && /\s/.test(raw.charAt(ri))) ri++;
        } else ri++;
        ni++;
      }
      map[ni] = raw.length;
      const range = document.createRange();
      range.setStart(n, map[at] ?? 0);
      range.setEnd(n, map[at + needle.length] ?? raw.length);
      const sel = window.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
      (n.parentElement ?? document.body).scrollIntoView({ block: 'center' });
      return true;
    }
    return false;
  }, text);
  if (!found) throw new Error(`text not found on the page: ${text}`);
  // A trusted mouseup without a mousedown keeps the programmatic selection (a mousedown may
  // collapse it, as Firefox does). It is released inside the frame of the selection, as the
  // user's would be: a selection change alone does not load the clip UI (a page's script can
  // make one), the user's mouse or key does.
  const page = 'page' in target ? target.page() : target;
  const box =
    'page' in target && target.parentFrame() ? await (await target.frameElement()).boundingBox() : null;
  await page.mouse.move((box?.x ?? 0) + 5, (box?.y ?? 0) + 5);
  await page.mouse.up();
}

/** Every highlight we registered: name → painted texts. */
export async function paintedHighlights(target: Page | Frame): Promise<Record<string, string[]>> {
  return target.evaluate(() => {
    const out: Record<string, string[]> = {};
    for (const [name, hl] of CSS.highlights) {
      if (!name.startsWith('qsi-evidence')) continue;
      out[name] = [...hl].map((r) => (r instanceof Range ? r.toString() : '').replace(/\s+/g, ' ').trim());
    }
    return out;
  });
}

/** All painted texts, whatever the highlight name. */
export async function paintedTexts(target: Page | Frame): Promise<string[]> {
  return Object.values(await paintedHighlights(target)).flat();
}

/** The content script has started in this document (its shadow host is attached). */
export async function waitForContentScript(target: Page | Frame): Promise<void> {
  await target.waitForSelector('qsi-evidence-clipper', { state: 'attached', timeout: 15_000 });
}

/** Selects `text`, clicks "Clip as evidence", ticks `codes`, types the note, saves, waits for the paint. */
export async function clipPassage(
  target: Page | Frame,
  text: string,
  codes: string[],
  note = '',
): Promise<void> {
  await selectText(target, text);
  await target.getByRole('button', { name: 'Clip as evidence' }).click();
  const dialog = target.getByRole('dialog', { name: 'Tag evidence' });
  await dialog.waitFor();
  for (const code of codes) {
    await dialog.getByRole('searchbox').fill(code);
    await dialog.getByRole('checkbox').first().check();
  }
  if (note) await dialog.getByLabel('Note').fill(note);
  await dialog.getByRole('button', { name: 'Save clip' }).click();
  await dialog.waitFor({ state: 'detached' });
  await expectPainted(target, text);
}

/** Waits until `text` is among the painted highlights (15 s). */
export async function expectPainted(target: Page | Frame, text: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if ((await paintedTexts(target)).includes(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not highlighted: ${text}`);
}

/** The first `main p` paragraph's opening words (at most `max` characters, whole words). */
export async function openingWords(target: Page | Frame, index = 0, max = 80): Promise<string> {
  return target.evaluate(
    ([i, n]) =>
      (document.querySelectorAll('main p')[i]?.textContent ?? '')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, n)
        .replace(/\s\S*$/, ''),
    [index, max] as const,
  );
}
