import type { Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { type AppContext, openContext } from '../context.js';
import { isAppError } from '../errors.js';
import { toJson } from '../lib/json.js';
import { createLogger } from '../log.js';

/** Exit codes: 1 an operating error (bad input, unknown id), 2 bad configuration or usage. */
export const EXIT_APP_ERROR = 1;
export const EXIT_CONFIG = 2;

/** Runs a command with an open context, closing it after; AppErrors become a message and exit 1. */
export async function withContext(
  work: (ctx: AppContext) => Promise<void>,
  options: { clock?: Clock } = {},
): Promise<void> {
  let ctx: AppContext | undefined;
  try {
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig();
    } catch (error) {
      fail(EXIT_CONFIG, (error as Error).message);
    }
    ctx = await openContext(
      config,
      createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 2),
      options.clock,
    );
    await work(ctx);
  } catch (error) {
    if (isAppError(error)) fail(EXIT_APP_ERROR, `error [${error.code}]: ${error.message}`);
    throw error;
  } finally {
    await ctx?.close();
  }
}

export function fail(code: number, message: string): never {
  process.stderr.write(`${message}\n`);
  process.exitCode = code;
  throw new CliExit();
}

/** Thrown by `fail` to unwind after the message is written; main() swallows it. */
export class CliExit extends Error {}

export function printJson(value: unknown): void {
  process.stdout.write(`${toJson(value)}\n`);
}

/** Parses a command-line integer, or fails with a message naming the option. */
export function parseIntOption(name: string, text: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(text))
    fail(EXIT_CONFIG, `${name} must be a whole number, got ${JSON.stringify(text)}`);
  const value = Number(text);
  if (value < min || value > max) fail(EXIT_CONFIG, `${name} must be between ${min} and ${max}`);
  return value;
}

export function parseDateOption(name: string, text: string): Date {
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    fail(EXIT_CONFIG, `${name} must be an ISO-8601 date or time, got ${JSON.stringify(text)}`);
  }
  return date;
}
