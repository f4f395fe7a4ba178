// The organisation's policy is read in one place, by the background: no content script, page or
// component reads storage.managed (the policy's invite code must not reach a page).
import { expect, test } from 'vitest';
import { read, sourceFiles } from './source-files';

test('storage.managed is read only by extension/lib/managed/apply-policy.ts', () => {
  const readers = sourceFiles(['extension']).filter((f) =>
    /(browser|chrome)\s*\.\s*storage\s*\.\s*managed/.test(read(f)),
  );
  expect(readers).toEqual(['extension/lib/managed/apply-policy.ts']);
});

test('apply-policy.ts is imported only by the background and its message handlers', () => {
  const importers = sourceFiles(['extension'])
    .filter((f) => /from '[./]*(managed\/)?apply-policy'/.test(read(f)))
    .sort();
  expect(importers).toEqual(['extension/lib/background/handlers.ts', 'extension/lib/background/main.ts']);
});
