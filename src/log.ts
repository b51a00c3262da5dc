import { type Logger, pino } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** Structured JSON logs on stdout (stderr for the CLI, whose stdout is its output). */
export function createLogger(level: Config['logLevel'], destination: 1 | 2 = 1): Logger {
  return pino({ level, base: { service: 'affnet' } }, pino.destination(destination));
}
