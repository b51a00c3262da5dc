import { AppError } from '../errors.js';

/**
 * Rate, enrollment and settings changes take effect now or later: a past date would change
 * the rate (or the rules) of orders already paid, which the program locks at payment.
 */
export function effectiveFrom(requested: Date | undefined, now: Date): Date {
  if (!requested) return now;
  if (requested.getTime() < now.getTime()) {
    throw new AppError(
      'effective_date_in_past',
      `effective date ${requested.toISOString()} is in the past`,
    );
  }
  return requested;
}
