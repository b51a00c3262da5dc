import { describe, expect, it } from 'vitest';
import { parseSoakOptions } from './options.js';

describe('parseSoakOptions', () => {
  it('runs 10 minutes on SQLite by default, with 2 minutes of warm-up and minute-long windows', () => {
    const o = parseSoakOptions([]);
    expect([o.durationMs, o.warmUpMs, o.memoryWindowMs, o.database]).toEqual([
      600_000,
      120_000,
      60_000,
      'sqlite',
    ]);
  });

  it('reads --minutes, --database and --events-per-request wherever they stand', () => {
    const o = parseSoakOptions([
      '--minutes',
      '5',
      '--database',
      'postgres',
      '--events-per-request',
      '10',
    ]);
    expect([o.durationMs, o.database, o.eventsPerRequest]).toEqual([300_000, 'postgres', 10]);
    expect(o.memoryWindowMs).toBe(60_000);
  });

  it('has a short profile for CI: 60 s, 15 s of warm-up, windows of 15 s, memory reported only', () => {
    const o = parseSoakOptions(['--short']);
    expect([o.durationMs, o.warmUpMs, o.memoryWindowMs, o.profile]).toEqual([
      60_000,
      15_000,
      15_000,
      'short',
    ]);
    expect(o.judgeMemory).toBe(false);
    expect(parseSoakOptions([]).judgeMemory).toBe(true);
  });

  it('refuses what it cannot run', () => {
    expect(() => parseSoakOptions(['--minutes', '3'])).toThrow(/--minutes/);
    expect(() => parseSoakOptions(['--database', 'mysql'])).toThrow(/--database/);
    expect(() => parseSoakOptions(['--events-per-request', '0'])).toThrow(/events-per-request/);
  });
});
