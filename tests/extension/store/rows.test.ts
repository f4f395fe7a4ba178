// The meta keys are what installs since 0.1.0 have stored: renaming one would lose that data.
import { describe, expect, it } from 'vitest';
import { META_KEYS } from '../../../extension/lib/store/rows';

describe('META_KEYS', () => {
  it('keeps the strings stored by 0.1.0 (and later releases)', () => {
    expect(META_KEYS).toEqual({
      author: 'author',
      criterionUsage: 'criterionUsage',
      activeFramework: 'activeFrameworkId',
      deviceToken: 'qsiSyncDeviceToken',
      draftPrefix: 'draft:',
      // Added after 0.1.0: the list the background computes for the popup's "Due soon", and the
      // organisation's policy as last applied.
      dueSoon: 'reminders.dueSoon',
      managed: 'managed.policy',
      sync: {
        team: 'sync.team',
        nextMutationId: 'sync.nextMutationId',
        cursor: 'sync.cursor',
        resyncing: 'sync.resyncing',
        status: 'sync.status',
        rejections: 'sync.rejections',
        storage: 'sync.storagePersist',
      },
    });
  });
});
