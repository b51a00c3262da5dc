/**
 * The one table of operating-error codes and their HTTP status. Every code has a line in
 * docs/errors.md (errors.test.ts fails when one is missing).
 */
export const errorStatus = {
  // A request body, query or parameter failed its schema; the message names the field.
  invalid_request: 400,
  // The body is not parseable JSON (or not the content type it claims).
  malformed_body: 400,
  // No route matches the method and path.
  route_not_found: 404,
  // A product id that the catalog does not hold.
  product_not_found: 404,
  // A store id that the catalog does not hold.
  store_not_found: 404,
  // A category id that the catalog does not hold.
  category_not_found: 404,
  // An affiliate id that does not exist.
  affiliate_not_found: 404,
  // A tracking id name that the affiliate does not own.
  tracking_id_not_found: 404,
  // Sign-up or user creation with an email that already has an account.
  email_taken: 409,
  // A tracking id name the affiliate already has.
  tracking_id_exists: 409,
  // A link code that does not exist (or a link id of another affiliate).
  link_not_found: 404,
  // A seller, store or category id, or an affiliate store's slug, that is already taken.
  duplicate_id: 409,
  // An affiliate status change that the life cycle does not allow (e.g. banned → approved).
  invalid_status_transition: 409,
  // An affiliate who is not approved (pending, suspended or banned) tried to earn: make links.
  affiliate_not_approved: 403,
  // A hot link for a URL that is not a product with a hot-product rate in force.
  not_a_hot_product: 422,
  // A commission rate outside the program's bounds for that kind of rule.
  rate_out_of_bounds: 422,
  // Too many requests of one kind from one affiliate in a short time: wait, then send again.
  too_many_requests: 429,
  // A hot-product rate that is not above the product's normal rate.
  hot_rate_not_above_normal: 422,
  // A rate or enrollment change dated before now: it would rewrite rates already locked.
  effective_date_in_past: 422,
  // A URL whose host is not one of the marketplace's domains (no open redirects).
  url_not_allowed: 422,
  // An IBAN whose country, length or checksum is wrong.
  invalid_iban: 422,
  // A SWIFT/BIC code that is not 8 or 11 valid characters.
  invalid_bic: 422,
  // A program setting with a value outside what the program allows.
  invalid_setting: 422,
  // More named tracking ids than the program allows per affiliate.
  tracking_id_limit: 422,
  // A post or void of a ledger transfer key that is not a pending transfer.
  pending_transfer_not_found: 404,
  // A pending ledger transfer that was already posted or voided (each resolves once).
  pending_already_resolved: 409,
  // An idempotency key (event id, transfer key) reused for a different request.
  idempotency_conflict: 409,
  // A post of a pending transfer for more than it holds, or for nothing.
  amount_exceeds_pending: 422,
  // A currency code that is not ISO 4217.
  unknown_currency: 422,
  // An exchange rate that is not a positive decimal, or for the settlement currency itself.
  invalid_fx_rate: 422,
  // An amount in a currency with no exchange rate into the settlement currency at that time.
  no_fx_rate: 422,
  // A merchant event for an order that was never reported paid.
  order_not_found: 404,
  // A merchant event naming a sub-order that its order does not have.
  sub_order_not_found: 404,
  // An order.paid event for an order already reported paid by another event id.
  order_already_paid: 409,
  // A refund that would take a sub-order's refunds above what was paid for it.
  refund_exceeds_paid: 422,
  // A shipping method with no protection period in the settings (shippingMethodClasses).
  unknown_shipping_method: 422,
  // A merchant request without a valid Affnet-Signature (missing, stale or wrong).
  invalid_signature: 401,
  // A withdrawal for an affiliate with no payout bank account.
  bank_account_missing: 422,
  // A withdrawal to a bank account the bank refused or returned a transfer to.
  bank_account_needs_update: 422,
  // A withdrawal below the program's minimum withdrawal (minWithdrawalMinor).
  amount_below_minimum: 422,
  // A withdrawal for more than the available balance.
  insufficient_balance: 422,
  // A withdrawal id that does not exist (or belongs to another affiliate).
  withdrawal_not_found: 404,
  // A payout batch id that does not exist (or is of another rail than the format asked for).
  payout_batch_not_found: 404,
  // A bank results file with malformed lines, unknown transfers or impossible changes; nothing applied.
  invalid_results_file: 422,
  // A SEPA file asked for before the operator's debtor name, IBAN and BIC are set.
  payout_debtor_missing: 422,
  // An API request without a valid key (missing, unknown, revoked): `Authorization: Bearer <key>`.
  unauthorized: 401,
  // An operator email that has no operator account.
  operator_not_found: 404,
  // An API key without the scope the route needs.
  insufficient_scope: 403,
  // An API key scope that does not exist.
  unknown_scope: 422,
  // A webhook id that does not exist (or belongs to another affiliate).
  webhook_not_found: 404,
  // A postback id that does not exist (or belongs to another affiliate).
  postback_not_found: 404,
  // A webhook URL or postback URL template that is not http(s), not a URL, or too long.
  invalid_webhook_url: 422,
  // An event type that affnet does not send (or that a postback cannot carry).
  unknown_event_type: 422,
  // More active webhooks (or postbacks) than an affiliate may have.
  webhook_limit: 422,
  // An affiliate store (storefront) slug or id that does not exist (or is another affiliate's).
  storefront_not_found: 404,
  // More stores than an affiliate may build.
  storefront_limit: 422,
  // A fraud flag id that does not exist.
  flag_not_found: 404,
  // A fraud flag already released or invalidated (each is resolved once).
  flag_already_resolved: 409,
  // A seller id that does not exist.
  seller_not_found: 404,
  // A seller API key id that does not exist, was revoked, or is another seller's.
  api_key_not_found: 404,
  // A seller-center invitation that is unknown, already used or expired.
  invalid_invite: 404,
  // A seller rate change while the program is in fixed_category mode: the operator's table applies.
  rates_set_by_program: 409,
  // A store leaving the program before its least time in it (sellerMinStayDays).
  too_early_to_leave: 422,
  // A store rejoining the program before its least time out (sellerMinAwayDays).
  too_early_to_rejoin: 422,
  // A rates CSV with bad rows (each reported with its line number); nothing applied.
  invalid_rates_file: 422,
  // The body is larger than the route accepts.
  payload_too_large: 413,
  // A path segment longer than any route takes (200 characters).
  uri_too_long: 414,
  // The body has a content type the route does not read.
  unsupported_media_type: 415,
  // The database (or another part the server needs) does not answer.
  service_unavailable: 503,
  // A bug: logged with its stack; the client sees no detail.
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** An operating error: expected, explained to the caller, never a crash. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return errorStatus[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
