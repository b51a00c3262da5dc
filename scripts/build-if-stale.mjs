// `npm start` runs this first: compile src/ only when something in it is newer than the
// last build, so a start on an unchanged checkout costs milliseconds, not a type-check.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const stamp = 'dist/.tsbuildinfo';
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;

function newestIn(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const newestSource = Math.max(newestIn('src'), fs.statSync('tsconfig.json').mtimeMs, fs.statSync('tsconfig.build.json').mtimeMs);
if (newestSource > built) {
  console.error('building dist/ (sources changed)…');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
