import { expect, it } from 'vitest';
import { describeEachDatabase } from '../test/context.js';
import { scheduledSettingChanges } from './scheduled-changes.js';
import { updateSettings } from './update-settings.js';

describeEachDatabase('scheduled settings changes', (t) => {
  it('lists the changes dated after now, soonest first, and none in force', async () => {
    const ctx = t();
    await updateSettings(ctx, { values: { maxTrackingIds: 40 } });
    await updateSettings(ctx, {
      values: { minWithdrawalMinor: '2000' },
      effectiveFrom: new Date('2026-05-01T00:00:00.000Z'),
      changedBy: 'ops@affnet.example',
    });
    await updateSettings(ctx, {
      values: { maxTrackingIds: 60 },
      effectiveFrom: new Date('2026-04-01T00:00:00.000Z'),
    });
    expect(await scheduledSettingChanges(ctx.db, ctx.clock.now())).toEqual([
      {
        key: 'maxTrackingIds',
        valueJson: '60',
        effectiveFrom: '2026-04-01T00:00:00.000Z',
        changedBy: null,
      },
      {
        key: 'minWithdrawalMinor',
        valueJson: '"2000"',
        effectiveFrom: '2026-05-01T00:00:00.000Z',
        changedBy: 'ops@affnet.example',
      },
    ]);
    expect(await scheduledSettingChanges(ctx.db, new Date('2026-06-01T00:00:00.000Z'))).toEqual([]);
  });
});
