import { type SettingKey, shippingClasses } from '../../settings/schema.js';
import { type FormState, field, select, textArea } from '../forms.js';
import { type Html, html } from '../html.js';

type Kind =
  | 'percent'
  | 'int'
  | 'amount'
  | 'text'
  | 'mode'
  | 'yesno'
  | 'codes'
  | 'domains'
  | 'classes'
  | 'protection';

export type SettingField = { key: SettingKey; label: string; kind: Kind; hint?: string };

/** Every program setting as the form shows it, in groups; a test checks none is missing. */
export const SETTING_GROUPS: readonly { title: string; fields: readonly SettingField[] }[] = [
  {
    title: 'Commission',
    fields: [
      { key: 'commissionMode', label: 'Commission mode', kind: 'mode' },
      { key: 'sellerRateMinBp', label: 'Lowest seller rate (%)', kind: 'percent' },
      { key: 'sellerRateMaxBp', label: 'Highest seller rate (%)', kind: 'percent' },
      { key: 'categoryRateMinBp', label: 'Lowest category-table rate (%)', kind: 'percent' },
      { key: 'categoryRateMaxBp', label: 'Highest category-table rate (%)', kind: 'percent' },
      {
        key: 'sellerMinStayDays',
        label: 'Least time in the program (days)',
        kind: 'int',
        hint: 'A store may leave the program only after this many days in it.',
      },
      {
        key: 'sellerMinAwayDays',
        label: 'Least time out before rejoining (days)',
        kind: 'int',
        hint: 'A store that left may rejoin only after this many days out.',
      },
      {
        key: 'newBuyerBonusBp',
        label: 'New-buyer bonus (%)',
        kind: 'percent',
        hint: 'Added to the rate of an order by a new buyer; 0 for none.',
      },
    ],
  },
  {
    title: 'Attribution and order life cycle',
    fields: [
      { key: 'attributionWindowDays', label: 'Attribution window (days)', kind: 'int' },
      { key: 'protectionDays', label: 'Buyer protection (days)', kind: 'protection' },
      {
        key: 'shippingMethodClasses',
        label: 'Shipping methods',
        kind: 'classes',
        hint: 'One per line: METHOD=express, post or seller.',
      },
      {
        key: 'settlementDelayDays',
        label: 'Settlement delay (days)',
        kind: 'int',
        hint: 'After receipt is confirmed; 0 settles at the next daily run.',
      },
      { key: 'invalidAfterDays', label: 'Invalid when unsettled after (days)', kind: 'int' },
    ],
  },
  {
    title: 'Affiliates',
    fields: [
      { key: 'autoApproveAffiliates', label: 'Approve new affiliates at sign-up', kind: 'yesno' },
      { key: 'maxTrackingIds', label: 'Tracking ids per affiliate', kind: 'int' },
      {
        key: 'marketplaceDomains',
        label: 'Marketplace domains',
        kind: 'domains',
        hint: 'The hosts links may point to, one per line.',
      },
    ],
  },
  {
    title: 'Payouts',
    fields: [
      {
        key: 'settlementCurrency',
        label: 'Settlement currency',
        kind: 'text',
        hint: 'ISO 4217, e.g. USD.',
      },
      {
        key: 'minWithdrawalMinor',
        label: 'Minimum withdrawal',
        kind: 'amount',
        hint: 'In the settlement currency, e.g. 16.00.',
      },
      {
        key: 'withdrawalFeeMinor',
        label: 'Withdrawal fee',
        kind: 'amount',
        hint: 'In the settlement currency; 0 for none.',
      },
      { key: 'payoutDayOfMonth', label: 'Payout day of the month', kind: 'int', hint: '1 to 28.' },
      {
        key: 'manualPayoutCountries',
        label: 'Countries paid by hand',
        kind: 'codes',
        hint: 'Two-letter codes, separated by spaces or commas.',
      },
      { key: 'payoutDebtorName', label: 'Payouts are paid from: account holder', kind: 'text' },
      { key: 'payoutDebtorIban', label: 'Payouts are paid from: IBAN', kind: 'text' },
      { key: 'payoutDebtorBic', label: 'Payouts are paid from: BIC', kind: 'text' },
    ],
  },
  {
    title: 'Fraud signals (an order that raises one is held for review; 0 turns it off)',
    fields: [
      {
        key: 'fraudClickInjectionSeconds',
        label: 'Click injection: paid within (seconds of the click)',
        kind: 'int',
      },
      {
        key: 'fraudClickFloodPerVisitor',
        label: 'Click flood: clicks from one visitor in 24 h',
        kind: 'int',
        hint: "On the affiliate's links, the attributed click included.",
      },
      {
        key: 'fraudCookieStuffingClicks',
        label: 'Cookie stuffing: clicks without a referrer in a burst',
        kind: 'int',
      },
      {
        key: 'fraudCookieStuffingVisitors',
        label: 'Cookie stuffing: from at least (visitors)',
        kind: 'int',
      },
      {
        key: 'fraudCookieStuffingWindowSeconds',
        label: 'Cookie stuffing: burst window (seconds, centred on the click)',
        kind: 'int',
      },
      {
        key: 'fraudRefundRateBp',
        label: 'Refund rate: share refunded or cancelled (%)',
        kind: 'percent',
      },
      {
        key: 'fraudRefundRateMinOrders',
        label: 'Refund rate: judged from (sub-orders)',
        kind: 'int',
      },
      { key: 'fraudRefundRateDays', label: 'Refund rate: over the last (days)', kind: 'int' },
    ],
  },
];

export const SETTING_FIELDS = SETTING_GROUPS.flatMap((g) => g.fields);

const MODES = [
  { value: 'seller_rates', label: 'Seller rates: each store sets its own, within the bounds' },
  { value: 'fixed_category', label: "Operator's category table: one rate per category" },
];
const YES_NO = [
  { value: 'no', label: 'No: each waits for review' },
  { value: 'yes', label: 'Yes' },
];

/** The input of one setting, as its kind is typed. */
export function settingInput(f: SettingField, state: FormState): Html {
  switch (f.kind) {
    case 'mode':
      return select(f.key, f.label, MODES, state);
    case 'yesno':
      return select(f.key, f.label, YES_NO, state);
    case 'classes':
    case 'domains':
      return textArea(f.key, f.label, state, { rows: 4, ...(f.hint ? { hint: f.hint } : {}) });
    case 'protection':
      return html`<fieldset class="group"><legend>${f.label}</legend><div class="row">${shippingClasses.map(
        (cls) => field(`protectionDays_${cls}`, `${cls} shipping`, state, { inputmode: 'numeric' }),
      )}</div></fieldset>`;
    default:
      return field(f.key, f.label, state, {
        ...(f.hint ? { hint: f.hint } : {}),
        ...(f.kind === 'percent' || f.kind === 'amount' ? { inputmode: 'decimal' } : {}),
        ...(f.kind === 'int' ? { inputmode: 'numeric' } : {}),
      });
  }
}
