import type { ColumnType, Kysely, Transaction } from 'kysely';

/**
 * Integers come back as bigint on both databases (SQLite safe integers, PostgreSQL int8
 * parsed to BigInt), whatever they hold; writes accept number too.
 */
export type Int = ColumnType<bigint, bigint | number, bigint | number>;
/** ISO-8601 UTC text with milliseconds, e.g. 2026-11-25T10:00:00.000Z: sorts as it reads. */
export type Timestamp = string;

export interface SettingChangesTable {
  id: string;
  key: string;
  value_json: string;
  effective_from: Timestamp;
  changed_at: Timestamp;
  changed_by: string | null;
}

export interface SellersTable {
  id: string;
  name: string;
  email: string | null;
  created_at: Timestamp;
  /** The seller center's login (a user of role `seller`), once the operator invited one. */
  user_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** An invitation to the seller center; only the token's SHA-256 is kept. */
export interface SellerInvitesTable {
  token_hash: string;
  seller_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** A seller's REST API key (`slk_…`): it reaches that seller's stores and nothing else. */
export interface SellerApiKeysTable {
  id: string;
  seller_id: string;
  /** SHA-256 of the key, hex: the key itself is shown once and never stored. */
  key_hash: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface StoresTable {
  id: string;
  seller_id: string;
  name: string;
  created_at: Timestamp;
}

export interface CategoriesTable {
  id: string;
  parent_id: string | null;
  name: string;
  level: Int;
  created_at: Timestamp;
}

export interface ProductsTable {
  product_id: string;
  store_id: string;
  category_id: string;
  title: string;
  price_minor: Int;
  currency: string;
  url: string;
  image_urls_json: string;
  sales_volume: Int;
  positive_feedback_bp: Int | null;
  ship_from: string | null;
  shipping_methods_json: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CommissionRulesTable {
  id: string;
  owner: 'seller' | 'operator';
  store_id: string | null;
  scope: 'store' | 'category' | 'product' | 'hot_product' | 'program_category';
  target_id: string | null;
  /** null: from effective_from on, this rule no longer applies. */
  rate_bp: Int | null;
  effective_from: Timestamp;
  created_at: Timestamp;
  created_by: string | null;
}

export interface EnrollmentsTable {
  id: string;
  store_id: string;
  scope: 'store' | 'category' | 'product';
  target_id: string | null;
  enrolled: Int;
  effective_from: Timestamp;
  created_at: Timestamp;
  created_by: string | null;
}

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string | null;
  role: 'operator' | 'affiliate' | 'seller';
  created_at: Timestamp;
}

export interface WebSessionsTable {
  /** SHA-256 of the cookie's token, hex. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface AffiliatesTable {
  id: string;
  user_id: string;
  country: string;
  website_url: string;
  status: 'pending' | 'approved' | 'suspended' | 'banned';
  status_reason: string | null;
  created_at: Timestamp;
  status_changed_at: Timestamp;
  /** 1: monthly payout runs pay this affiliate out (the default); 0: only on request. */
  auto_withdraw: ColumnType<bigint, bigint | number | undefined, bigint | number>;
}

export interface TrackingIdsTable {
  id: string;
  affiliate_id: string;
  name: string;
  created_at: Timestamp;
}

export interface ApiCredentialsTable {
  app_key: string;
  affiliate_id: string;
  app_secret_enc: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface BankAccountsTable {
  id: string;
  affiliate_id: string;
  kind: 'iban' | 'swift';
  holder_name: string;
  country: string;
  account_enc: string;
  account_masked: string;
  bic: string | null;
  status: 'active' | 'needs_update' | 'replaced';
  created_at: Timestamp;
  replaced_at: Timestamp | null;
  /** When the bank refused or returned a transfer to it, and the bank's reason. */
  flagged_at: Timestamp | null;
  flag_reason: string | null;
}

export interface LinksTable {
  id: string;
  code: string;
  affiliate_id: string;
  tracking_id: string;
  url: string;
  kind: 'product' | 'store' | 'search' | 'page';
  product_id: string | null;
  type: 'normal' | 'hot';
  dedupe_key: string;
  status: 'active' | 'disabled';
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ClicksTable {
  id: string;
  clicked_at: Timestamp;
  link_id: string;
  affiliate_id: string;
  tracking_id: string;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  ip_hash: string;
  user_agent: string | null;
  referrer: string | null;
  country: string | null;
  is_bot: Int;
  is_unique: Int;
}

interface ClickRollup {
  affiliate_id: string;
  day: string;
  tracking_id: string;
  clicks: Int;
  unique_clicks: Int;
  bot_clicks: Int;
}

/** Clicks per affiliate, day, tracking id and country ('' when unknown). */
export interface ClickDailyTable extends ClickRollup {
  country: string;
}

/** Clicks per affiliate, day, tracking id and sub1 ('' when none). */
export interface ClickDailySubTable extends ClickRollup {
  sub1: string;
}

export interface IpSaltsTable {
  day: string;
  salt: string;
  created_at: Timestamp;
}

export type LedgerAccountKind =
  | 'affiliate'
  | 'commission_expense'
  /** The buyers' money the marketplace holds for sellers (program), released to seller_payable. */
  | 'marketplace_sales'
  | 'seller_payable'
  | 'withdrawal_fees'
  | 'payouts_in_transit';

export interface LedgerAccountsTable {
  id: string;
  kind: LedgerAccountKind;
  /** The affiliate (or store) id; 'program' for the program's own accounts. */
  owner_id: string;
  currency: string;
  created_at: Timestamp;
}

export type TransferKind = 'posted' | 'pending' | 'post' | 'void';

export interface LedgerTransfersTable {
  id: string;
  key: string;
  kind: TransferKind;
  debit_account_id: string;
  credit_account_id: string;
  amount_minor: Int;
  currency: string;
  pending_id: string | null;
  code: string;
  ref: string | null;
  explanation: string | null;
  created_at: Timestamp;
}

export interface LedgerBalancesTable {
  account_id: string;
  debits_pending: Int;
  credits_pending: Int;
  debits_posted: Int;
  credits_posted: Int;
}

export interface FxRatesTable {
  id: string;
  currency: string;
  to_currency: string;
  /** Units of to_currency per unit of currency, as exact decimal text. */
  rate: string;
  effective_at: Timestamp;
  created_at: Timestamp;
}

export interface MerchantEventsTable {
  id: string;
  type: string;
  order_id: string;
  content_hash: string;
  data: string;
  occurred_at: Timestamp;
  result: string;
  received_at: Timestamp;
}

export interface OrdersTable {
  order_id: string;
  buyer_id: string;
  is_new_buyer: Int;
  ship_to_country: string | null;
  shipping_method: string | null;
  click_id: string | null;
  affiliate_id: string | null;
  tracking_id: string | null;
  /** The click's sub1, copied: the order rollups are keyed by it. */
  sub1: string | null;
  /** JSON: the attribution decision (the click and its age, or why none). */
  attribution: string;
  paid_at: Timestamp;
  created_at: Timestamp;
}

export type SubOrderStatus =
  | 'payment_completed'
  | 'buyer_confirmed_receipt'
  | 'completed_settlement'
  | 'invalid';

/** Clicks per affiliate, visitor (IP hash) and UTC minute: what the click-flood signal sums. */
export interface ClickVisitorMinutesTable {
  affiliate_id: string;
  ip_hash: string;
  /** `YYYY-MM-DDTHH:MM`, UTC. */
  minute: string;
  clicks: Int;
}

export interface SubOrdersTable {
  sub_order_id: string;
  order_id: string;
  /** The order's affiliate and payment time, copied: listings read sub-orders alone. */
  affiliate_id: string | null;
  paid_at: Timestamp | null;
  product_id: string;
  quantity: Int;
  unit_price_minor: Int;
  paid_minor: Int;
  currency: string;
  rate_bp: Int;
  commission_minor: Int;
  settlement_currency: string;
  fx_rate: string | null;
  commission_settlement_minor: Int;
  status: SubOrderStatus;
  invalid_reason: string | null;
  confirmed_at: Timestamp | null;
  due_at: Timestamp | null;
  settled_at: Timestamp | null;
  settled_minor: Int | null;
  /** When the seller's share was released to seller_payable (migration 0019); null until then. */
  released_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON: how the commission was reached, step by step. */
  explanation: string;
  created_at: Timestamp;
}

export type FlagResolution = 'released' | 'invalidated';

/** A fraud signal an order raised at payment (src/fraud/); open until resolved. */
export interface OrderFlagsTable {
  id: string;
  order_id: string;
  /** Null: the flag is on the whole order. */
  sub_order_id: string | null;
  affiliate_id: string;
  /** click_injection, click_flood, cookie_stuffing, refund_rate or self_purchase. */
  signal: string;
  /** In words and figures, e.g. "37 clicks from one visitor … in the 24 h before the order". */
  reason: string;
  created_at: Timestamp;
  resolved_at: Timestamp | null;
  resolution: FlagResolution | null;
  /** The operator's id, or 'rule' for a flag resolved when it was raised. */
  resolved_by: string | null;
  resolution_note: string | null;
}

/** What a sub-order counts for in the order rollups (reports/order-rollups.ts). */
interface OrderRollup {
  affiliate_id: string;
  /** The UTC day of the order's payment, YYYY-MM-DD. */
  day: string;
  tracking_id: string;
  /** The settlement currency of the amounts. */
  currency: string;
  /** Sub-orders paid and attributed to the affiliate. */
  leads: Int;
  /** Those in Completed Settlement. */
  approved_leads: Int;
  invalid_leads: Int;
  /** Commission of the sub-orders not Invalid (commission_settlement_minor). */
  estimated_minor: Int;
  /** What settlement posted (settled_minor). */
  settled_minor: Int;
  /** Taken back by refunds after settlement (the clawback transfers). */
  clawed_back_minor: Int;
}

/** Sub-orders per affiliate, day of payment, tracking id and settlement currency. */
export type OrderDailyTable = OrderRollup;

/** The same per sub1 ('' when none). */
export interface OrderDailySubTable extends OrderRollup {
  sub1: string;
}

/** Sub-orders per affiliate, day of payment, product and settlement currency. */
export interface OrderDailyProductTable {
  affiliate_id: string;
  day: string;
  product_id: string;
  currency: string;
  leads: Int;
  estimated_minor: Int;
}

export interface AffiliateBuyersTable {
  buyer_id: string;
  affiliate_id: string;
  created_at: Timestamp;
}

export type PayoutRail = 'sepa' | 'wire' | 'manual';
export type WithdrawalState = 'processing' | 'succeeded' | 'failed' | 'returned';

export interface PayoutBatchesTable {
  id: string;
  rail: PayoutRail;
  currency: string;
  transfers: Int;
  total_minor: Int;
  created_at: Timestamp;
}

export interface WithdrawalsTable {
  id: string;
  affiliate_id: string;
  bank_account_id: string;
  rail: PayoutRail;
  currency: string;
  /** Taken from the balance: the net sent to the bank plus the fee. */
  amount_minor: Int;
  fee_minor: Int;
  net_minor: Int;
  state: WithdrawalState;
  source: 'request' | 'payout_run';
  idempotency_key: string | null;
  /** YYYY-MM of the monthly payout run that made it. */
  period: string | null;
  batch_id: string | null;
  requested_at: Timestamp;
  exported_at: Timestamp | null;
  succeeded_at: Timestamp | null;
  /** When the bank refused or returned it. */
  failed_at: Timestamp | null;
  reason_code: string | null;
  reason_text: string | null;
  /** The date the bank gave with its last result. */
  bank_date: string | null;
}

export interface PayoutResultsTable {
  withdrawal_id: string;
  status: 'accepted' | 'rejected' | 'returned';
  reason_code: string | null;
  reason_text: string | null;
  bank_date: string;
  imported_at: Timestamp;
}

export interface PayoutRunsTable {
  period: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  withdrawals: Int;
  total_minor: Int;
}

export interface EmailOutboxTable {
  id: string;
  key: string;
  kind: string;
  to_address: string;
  subject: string;
  body_text: string;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  attempts: Int;
  last_error: string | null;
}

export interface ApiKeysTable {
  id: string;
  affiliate_id: string;
  /** SHA-256 of the key, hex: the key itself is shown once and never stored. */
  key_hash: string;
  /** Space-separated, e.g. "payouts:read payouts:write". */
  scopes: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

export type TargetKind = 'webhook' | 'postback';
export type TargetStatus = 'active' | 'disabled';

export interface WebhooksTable {
  id: string;
  affiliate_id: string;
  url: string;
  /** The signing secret, sealed (SecretBox): shown once at creation. */
  secret_enc: string;
  /** The secret a rotation replaced, sealed: it signs too until previous_until. */
  previous_secret_enc: ColumnType<string | null, string | null | undefined, string | null>;
  previous_until: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  /** JSON array of event types. */
  events: string;
  status: TargetStatus;
  consecutive_failures: ColumnType<bigint, bigint | number | undefined, bigint | number>;
  created_at: Timestamp;
  disabled_at: Timestamp | null;
  /** "deleted", or why deliveries stopped (failures). */
  disabled_reason: string | null;
}

export interface PostbacksTable {
  id: string;
  affiliate_id: string;
  /** The tracking_ids row; null: every tracking id of the affiliate. */
  tracking_id: string | null;
  url_template: string;
  /** JSON array of event types. */
  events: string;
  status: TargetStatus;
  consecutive_failures: ColumnType<bigint, bigint | number | undefined, bigint | number>;
  created_at: Timestamp;
  disabled_at: Timestamp | null;
  disabled_reason: string | null;
}

export interface DeliveriesTable {
  id: string;
  target_kind: TargetKind;
  target_id: string;
  affiliate_id: string;
  /** What the event is about, e.g. order.settled:<sub-order id>; unique per target. */
  event_key: string;
  event_type: string;
  /** JSON: the event as sent. */
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: Int;
  /** When to try next; null once delivered or failed. */
  next_attempt_at: Timestamp | null;
  last_status_code: Int | null;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}

export interface DeliveryAttemptsTable {
  delivery_id: string;
  attempt: Int;
  at: Timestamp;
  /** The receiver's HTTP status; null when none came (network error, timeout). */
  status_code: Int | null;
  error: string | null;
  duration_ms: Int;
}

export interface OperatorTokensTable {
  id: string;
  user_id: string;
  /** SHA-256 of the token, hex: the token itself is shown once. */
  token_hash: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

/** The demo market's orders (src/market/): the market's side, not affnet's. */
export interface MarketOrdersTable {
  order_id: string;
  buyer_id: string;
  /** The Buy form's idempotency key: the same form sent twice buys once. */
  buy_key: string;
  product_id: string;
  title: string;
  quantity: Int;
  unit_price_minor: Int;
  currency: string;
  shipping_method: string;
  click_id: string | null;
  status: MarketOrderStatus;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type MarketOrderStatus =
  | 'pending'
  | 'paid'
  | 'shipped'
  | 'received'
  | 'disputed'
  | 'refunded';

/** Each event the demo market sent affnet about an order, with the exact body sent. */
export interface MarketOrderEventsTable {
  event_id: string;
  order_id: string;
  /** 1, 2, …: unique per order, so two actions on one state of the order cannot both land. */
  step: Int;
  type: string;
  body: string;
  /** `sending` until affnet accepts it; a refused event's row is removed. */
  state: 'sending' | 'accepted';
  /** affnet's answer, as the page shows it. */
  outcome: string | null;
  created_at: Timestamp;
}

/** An affiliate's hosted store (src/storefront/); its lists are JSON arrays of text. */
export interface StorefrontsTable {
  id: string;
  affiliate_id: string;
  slug: string;
  name: string;
  theme: string;
  /** The tracking_ids row whose links the store's products carry. */
  tracking_id: string;
  seo_title: string;
  seo_description: string;
  category_ids_json: string;
  keywords_json: string;
  product_ids_json: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface Database {
  setting_changes: SettingChangesTable;
  sellers: SellersTable;
  seller_invites: SellerInvitesTable;
  click_visitor_minutes: ClickVisitorMinutesTable;
  seller_api_keys: SellerApiKeysTable;
  stores: StoresTable;
  categories: CategoriesTable;
  products: ProductsTable;
  commission_rules: CommissionRulesTable;
  enrollments: EnrollmentsTable;
  users: UsersTable;
  web_sessions: WebSessionsTable;
  affiliates: AffiliatesTable;
  tracking_ids: TrackingIdsTable;
  api_credentials: ApiCredentialsTable;
  bank_accounts: BankAccountsTable;
  links: LinksTable;
  clicks: ClicksTable;
  click_daily: ClickDailyTable;
  click_daily_sub: ClickDailySubTable;
  ip_salts: IpSaltsTable;
  ledger_accounts: LedgerAccountsTable;
  ledger_transfers: LedgerTransfersTable;
  ledger_balances: LedgerBalancesTable;
  fx_rates: FxRatesTable;
  merchant_events: MerchantEventsTable;
  orders: OrdersTable;
  sub_orders: SubOrdersTable;
  order_flags: OrderFlagsTable;
  order_daily: OrderDailyTable;
  order_daily_sub: OrderDailySubTable;
  order_daily_product: OrderDailyProductTable;
  affiliate_buyers: AffiliateBuyersTable;
  payout_batches: PayoutBatchesTable;
  withdrawals: WithdrawalsTable;
  payout_results: PayoutResultsTable;
  payout_runs: PayoutRunsTable;
  email_outbox: EmailOutboxTable;
  api_keys: ApiKeysTable;
  operator_tokens: OperatorTokensTable;
  webhooks: WebhooksTable;
  postbacks: PostbacksTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  storefronts: StorefrontsTable;
  market_orders: MarketOrdersTable;
  market_order_events: MarketOrderEventsTable;
}

/** A connection or a transaction: services accept either. */
export type Db = Kysely<Database> | Transaction<Database>;
export type Dialect = 'sqlite' | 'postgres';
