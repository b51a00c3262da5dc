import Papa from 'papaparse';
import type { z } from 'zod';
import type { Db } from '../db/types.js';
import { clickStats, type clickStatsInput } from '../tracking/click-stats.js';

/**
 * An affiliate's click statistics between two days as CSV (RFC 4180, CRLF), by day,
 * tracking id (its name), sub1 or country: read from the click rollups, a row per value.
 */
export async function exportClicksCsv(
  db: Db,
  input: z.input<typeof clickStatsInput>,
): Promise<{ filename: string; text: string }> {
  const rows = await clickStats(db, input);
  const csv = Papa.unparse(
    [
      [input.by, 'clicks', 'unique_clicks', 'bot_clicks'],
      ...rows.map((r) => [r.key, r.clicks, r.uniqueClicks, r.botClicks]),
    ],
    { newline: '\r\n', escapeFormulae: true },
  );
  return { filename: `clicks-by-${input.by}-${input.from}-${input.to}.csv`, text: `${csv}\r\n` };
}
