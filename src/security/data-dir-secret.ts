import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Returns the secret stored in `<dataDir>/<name>`, creating it (owner-only) on first use.
 * Two processes racing to create it both end up with the winner's value.
 */
export function dataDirSecret(dataDir: string, name: string, bytes: number): Buffer {
  const file = path.join(dataDir, name);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, `${randomBytes(bytes).toString('base64')}\n`, {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const value = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (value.length !== bytes) throw new Error(`${file} does not hold ${bytes} bytes of base64`);
  return value;
}
