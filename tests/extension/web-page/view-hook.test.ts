// The injected view reaches the content script that asked for it through the isolated world's
// global, and only while that request is pending.
import { expect, test, vi } from 'vitest';
import type { ClipView } from '../../../extension/lib/clip-ui/clip-surface';
import { deliverView, receiveView } from '../../../extension/lib/web-page/view-hook';

const factory = () => ({}) as ClipView;

test('a view injected while the request is pending is received', async () => {
  const received = await receiveView(async () => {
    expect(deliverView(factory)).toBe(true);
  });
  expect(received).toBe(factory);
});

test('an injection nobody asked for attaches nothing, before or after a request', async () => {
  expect(deliverView(factory)).toBe(false);
  await receiveView(async () => {});
  expect(deliverView(factory)).toBe(false);
});

test('a request whose injection did not run receives nothing, and a failed one leaves no hook', async () => {
  expect(await receiveView(async () => {})).toBeNull();
  await expect(
    receiveView(async () => {
      throw new Error('refused');
    }),
  ).rejects.toThrow('refused');
  expect(deliverView(factory)).toBe(false);
});

test('the hook is a symbol-keyed, non-enumerable property of the global, only while pending', async () => {
  const ours = () => Object.getOwnPropertySymbols(globalThis).filter((s) => s.description?.includes('qsi'));
  const seen = vi.fn();
  await receiveView(async () => {
    seen(Object.keys(globalThis).filter((k) => /qsi|clip/i.test(k)));
    seen(ours().map((s) => Object.getOwnPropertyDescriptor(globalThis, s)?.enumerable));
  });
  expect(seen.mock.calls).toEqual([[[]], [[false]]]);
  expect(ours()).toEqual([]);
});
