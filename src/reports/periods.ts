import type { Clock } from '../clock.js';
import { DAY_MS } from '../clock.js';
import { dayOf, toDbTime } from '../db/time.js';

/** A range of UTC days, both ends included, as YYYY-MM-DD. */
export type DayRange = { from: string; to: string };

/** Today's UTC day by the injected clock. */
export function todayOf(clock: Clock): string {
  return dayOf(toDbTime(clock.now()));
}

/** The day `days` after `day` (before, when negative). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The dashboard's periods for a day: that day, its month so far, and the month before. */
export function dashboardPeriods(today: string): {
  today: DayRange;
  thisMonth: DayRange;
  lastMonth: DayRange;
} {
  const monthStart = `${today.slice(0, 7)}-01`;
  const lastMonthEnd = addDays(monthStart, -1);
  return {
    today: { from: today, to: today },
    thisMonth: { from: monthStart, to: today },
    lastMonth: { from: `${lastMonthEnd.slice(0, 7)}-01`, to: lastMonthEnd },
  };
}

/** Every day of a range, in order (at most `max`). */
export function daysOf(range: DayRange, max = 400): string[] {
  const days: string[] = [];
  for (let day = range.from; day <= range.to && days.length < max; day = addDays(day, 1))
    days.push(day);
  return days;
}
