import { execFileSync } from 'node:child_process';

/** Vitest global setup: compile dist/ (incrementally) so end-to-end tests run the real CLI. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
