import fs from 'node:fs';
import path from 'node:path';

const FILE = 'demo-clock-offset';

/**
 * How far ahead of the wall clock the demo server's clock runs, kept in the data directory
 * so that a restart does not send the program's time backwards (0 when never moved).
 */
export function readClockOffset(dataDir: string): number {
  const file = path.join(dataDir, FILE);
  if (!fs.existsSync(file)) return 0;
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^\d{1,15}$/.test(text))
    throw new Error(
      `${file} must hold a whole number of milliseconds, not ${JSON.stringify(text)}`,
    );
  return Number(text);
}

/** Stores the offset: written to a temporary file and renamed, so it is never half-written. */
export function writeClockOffset(dataDir: string, offsetMs: number): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, FILE);
  fs.writeFileSync(`${file}.partial`, `${offsetMs}\n`);
  fs.renameSync(`${file}.partial`, file);
}
