import type { TargetKind, TargetStatus } from '../db/types.js';
import { AppError } from '../errors.js';

/** The events affnet sends to affiliates. */
export const EVENT_TYPES = [
  'order.paid',
  'order.settled',
  'order.invalid',
  'order.held',
  'order.released',
  'withdrawal.succeeded',
  'withdrawal.failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/**
 * What a postback can carry: conversions, which have a click, sub-ids and an order (a fraud
 * review's hold and release are webhook events only: trackers have no state for them).
 */
export const ORDER_EVENT_TYPES = ['order.paid', 'order.settled', 'order.invalid'] as const;

export const MAX_URL_CHARS = 2048;
/** Active webhooks, and active postbacks, per affiliate: each event fans out to all of them. */
export const MAX_ACTIVE_TARGETS = 10;
export const MAX_DELIVERY_PAGE = 100;
export const MAX_TARGET_PAGE = 100;

export type { TargetKind, TargetStatus };

export type Webhook = {
  id: string;
  url: string;
  events: EventType[];
  status: TargetStatus;
  consecutiveFailures: number;
  createdAt: string;
  disabledAt: string | null;
  disabledReason: string | null;
};

export type Postback = Omit<Webhook, 'url'> & {
  urlTemplate: string;
  /** The tracking id's name; null: every tracking id. */
  trackingId: string | null;
};

export type DeliveryAttempt = {
  attempt: number;
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
};

export type Delivery = {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  payload: Record<string, unknown>;
  attemptLog: DeliveryAttempt[];
};

/** The event types asked for, known and de-duplicated; postbacks take order events only. */
export function checkEventTypes(kind: TargetKind, types: readonly string[]): EventType[] {
  const allowed: readonly string[] = kind === 'webhook' ? EVENT_TYPES : ORDER_EVENT_TYPES;
  const unknown = types.filter((t) => !allowed.includes(t));
  if (unknown.length > 0 || types.length === 0)
    throw new AppError(
      'unknown_event_type',
      `${kind}s take ${allowed.join(', ')}${unknown.length ? `; not ${unknown.slice(0, 5).join(', ')}` : ''}`,
    );
  return [...new Set(types)] as EventType[];
}

/**
 * An http(s) URL of at most 2,048 characters. Placeholders of a postback template
 * (`{click_id}`) are checked as if filled. Which hosts a URL may reach (internal
 * addresses, SSRF) is not checked here: that is issue 9's.
 */
export function checkTargetUrl(url: string, what: 'url' | 'url_template'): string {
  const trimmed = url.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_URL_CHARS)
    throw new AppError('invalid_webhook_url', `${what} must be 1–${MAX_URL_CHARS} characters`);
  let parsed: URL;
  try {
    parsed = new URL(what === 'url_template' ? trimmed.replace(/\{[a-z0-9_]+\}/g, 'x') : trimmed);
  } catch {
    throw new AppError('invalid_webhook_url', `${what} is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new AppError('invalid_webhook_url', `${what} must be http or https`);
  return trimmed;
}
