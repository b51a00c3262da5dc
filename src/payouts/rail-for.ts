import type { ProgramSettings } from '../settings/schema.js';
import type { PayoutRail } from './schema.js';

/** The countries of the SEPA scheme (EEA, Switzerland, the UK and the microstates). */
const SEPA_COUNTRIES = new Set(
  (
    'AT BE BG HR CY CZ DK EE FI FR DE GR HU IS IE IT LV LI LT LU MT NL NO PL PT RO SK SI ES SE ' +
    'CH GB MC SM VA AD GI GG JE IM PM'
  ).split(' '),
);

/**
 * How a withdrawal reaches the account. SEPA credit transfer carries euros only, to an IBAN
 * in the SEPA area; everything else goes by international wire, unless the operator pays
 * that country by hand (`manualPayoutCountries`).
 */
export function railFor(
  account: { kind: 'iban' | 'swift'; country: string },
  settings: Pick<ProgramSettings, 'settlementCurrency' | 'manualPayoutCountries'>,
): PayoutRail {
  if (settings.manualPayoutCountries.includes(account.country)) return 'manual';
  if (
    account.kind === 'iban' &&
    settings.settlementCurrency === 'EUR' &&
    SEPA_COUNTRIES.has(account.country)
  )
    return 'sepa';
  return 'wire';
}
