import { spawn } from 'node:child_process';
import { CLI } from '../bench/bench-util.js';
import type { World } from './world.js';

/** One line of the fault run's verdict. */
export type Check = {
  phase: string;
  check: string;
  measured: string;
  expected: string;
  ok: boolean;
};

const show = (v: number | bigint | string) => (typeof v === 'string' ? v : v.toLocaleString('en'));

export function check(
  phase: string,
  name: string,
  measured: number | bigint | string,
  expected: string,
  ok: boolean,
): Check {
  return { phase, check: name, measured: show(measured), expected, ok };
}

/** A check that a measured count or sum equals what it must be. */
export function equal(
  phase: string,
  name: string,
  measured: number | bigint,
  expected: number | bigint,
): Check {
  return check(phase, name, measured, `= ${show(expected)}`, BigInt(measured) === BigInt(expected));
}

/** Work done before the kill: some, not all, or the kill did not land mid-way. */
export function midway(phase: string, what: string, done: number, total: number): Check {
  return check(
    phase,
    `killed mid-way (${what} committed at the kill)`,
    done,
    `> 0 and < ${show(total)}`,
    done > 0 && done < total,
  );
}

/**
 * `affnet ledger audit` and `affnet reports verify`, as an operator runs them after a
 * crash: each must exit 0.
 */
export async function auditChecks(world: World, phase: string): Promise<Check[]> {
  const audit = await runCli(['ledger', 'audit', '--json'], world.env);
  const verify = await runCli(['reports', 'verify', '--json'], world.env);
  const parsed = (stdout: string): Record<string, unknown> => {
    try {
      return JSON.parse(stdout) as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  const a = parsed(audit.stdout);
  const v = parsed(verify.stdout);
  const violations = Array.isArray(a.violations) ? a.violations.length : '?';
  return [
    check(
      phase,
      '`affnet ledger audit` clean',
      `exit ${audit.code}, ${violations} violations in ${a.transfers ?? '?'} transfers`,
      'exit 0',
      audit.code === 0,
    ),
    check(
      phase,
      '`affnet reports verify` clean',
      `exit ${verify.code}, ${v.differenceCount ?? '?'} of ${v.rows ?? '?'} rows differ`,
      'exit 0',
      verify.code === 0,
    ),
  ];
}

/** Runs the affnet CLI and reports how it exited (timeCli rejects on a non-zero exit). */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
