import { z } from 'zod';
import { type Delivery, EVENT_TYPES, MAX_DELIVERY_PAGE, MAX_TARGET_PAGE } from './schema.js';

/** Event types as a body names them: checked by the service, so an unknown one gets its own code. */
export const eventList = z.array(z.string().max(64)).min(1).max(20);
/** URLs are checked by the service (http(s), 2,048 characters) for the invalid_webhook_url code. */
export const urlText = z.string().max(8192);
export const targetStatus = z.enum(['active', 'disabled']);
export const eventTypes = z.array(z.enum(EVENT_TYPES));
export const idParams = z.object({ id: z.string().max(64) });
export const targetPage = z.object({
  before: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_TARGET_PAGE).default(50),
});
export const deliveryPage = z.object({
  before: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_DELIVERY_PAGE).default(50),
});

export const delivery = z
  .object({
    id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    next_attempt_at: z.string().nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    delivered_at: z.string().nullable(),
    /** The event as sent: amounts in minor units. */
    payload: z.record(z.string(), z.unknown()),
    attempts: z.array(
      z.object({
        attempt: z.number().int(),
        at: z.string(),
        status_code: z.number().int().nullable(),
        error: z.string().nullable(),
        duration_ms: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'Delivery' });
export const deliveryList = z.object({
  deliveries: z.array(delivery),
  next_cursor: z.string().nullable(),
});

export function presentDelivery(d: Delivery): z.infer<typeof delivery> {
  return {
    id: d.id,
    event_id: d.eventId,
    event_type: d.eventType,
    status: d.status,
    next_attempt_at: d.nextAttemptAt,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    created_at: d.createdAt,
    delivered_at: d.deliveredAt,
    payload: d.payload,
    attempts: d.attemptLog.map((a) => ({
      attempt: a.attempt,
      at: a.at,
      status_code: a.statusCode,
      error: a.error,
      duration_ms: a.durationMs,
    })),
  };
}

/** The id to pass as `before` for the next page, when this one was full. */
export function nextCursor(page: readonly { id: string }[], limit: number): string | null {
  const last = page.at(-1);
  return page.length === limit && last ? last.id : null;
}
