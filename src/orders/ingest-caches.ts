import { createRateResolver, type RateResolver } from '../catalog/rate-resolver.js';
import type { Ctx } from '../context.js';
import { createFxResolver, type FxResolver } from '../fx/fx-resolver.js';
import type { ProgramSettings } from '../settings/schema.js';
import { loadSettingsTimeline } from '../settings/settings-timeline.js';

/** Lookups shared by the events of one request: settings, rates and exchange rates read once. */
export type IngestCaches = {
  settings: { at(at: Date): ProgramSettings };
  rates: RateResolver;
  fx: FxResolver;
};

export async function createIngestCaches(ctx: Pick<Ctx, 'db' | 'sqlite'>): Promise<IngestCaches> {
  return {
    settings: await loadSettingsTimeline(ctx.db),
    rates: await createRateResolver(ctx.db, ctx),
    fx: createFxResolver(ctx.db),
  };
}
