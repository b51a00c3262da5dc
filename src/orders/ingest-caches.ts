import { createRateResolver, type RateResolver } from '../catalog/rate-resolver.js';
import type { Db } from '../db/types.js';
import { createFxResolver, type FxResolver } from '../fx/fx-resolver.js';
import type { ProgramSettings } from '../settings/schema.js';
import { loadSettingsTimeline } from '../settings/settings-timeline.js';

/** Lookups shared by the events of one request: settings, rates and exchange rates read once. */
export type IngestCaches = {
  settings: { at(at: Date): ProgramSettings };
  rates: RateResolver;
  fx: FxResolver;
};

export async function createIngestCaches(db: Db): Promise<IngestCaches> {
  return {
    settings: await loadSettingsTimeline(db),
    rates: await createRateResolver(db),
    fx: createFxResolver(db),
  };
}
