import { createHash } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { z } from 'zod';
import { toDbTime } from '../db/time.js';
import type { MerchantEventsTable } from '../db/types.js';
import type { ErrorCode } from '../errors.js';
import { canonicalJson } from '../lib/canonical-json.js';
import { type EventType, eventDataSchemas, type MerchantEvent, merchantEvent } from './schema.js';

export type EventOutcome =
  | {
      id: string;
      status: 'accepted';
      replayed: boolean;
      orderId: string;
      subOrders: { sub_order_id: string; status: string }[];
    }
  | { id: string | null; status: 'rejected'; error: { code: ErrorCode; message: string } };

/** The envelope and data of an event checked against their schemas, and its content hash. */
export function checkEnvelope(
  raw: unknown,
):
  | EventOutcome
  | { event: MerchantEvent; data: Record<string, unknown> & { order_id: string }; hash: string } {
  const envelope = merchantEvent.safeParse(raw);
  const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : null;
  if (!envelope.success) return rejected(id, 'invalid_request', describe(envelope.error));
  const event = envelope.data;
  const dataCheck = eventDataSchemas[event.type].safeParse(event.data);
  if (!dataCheck.success)
    return rejected(event.id, 'invalid_request', `data: ${describe(dataCheck.error)}`);
  const data = dataCheck.data as Record<string, unknown> & { order_id: string };
  const hash = createHash('sha256').update(canonicalJson(raw)).digest('hex');
  return { event, data, hash };
}

/** The stored form of an accepted event: its data as received, its business time, its outcome. */
export function eventRow(
  event: MerchantEvent,
  data: { order_id: string },
  hash: string,
  result: string,
  receivedAt: Date,
): Insertable<MerchantEventsTable> {
  return {
    id: event.id,
    type: event.type,
    order_id: data.order_id,
    content_hash: hash,
    data: JSON.stringify(event.data),
    occurred_at: toDbTime(
      occurredAt(event.type, data as Record<string, unknown>, event.created_at),
    ),
    result,
    received_at: toDbTime(receivedAt),
  };
}

/** The business time of an event (when it happened at the marketplace). */
function occurredAt(type: EventType, data: Record<string, unknown>, createdAt: Date): Date {
  const field = {
    'order.paid': 'paid_at',
    'order.shipped': 'shipped_at',
    'order.receipt_confirmed': 'confirmed_at',
    'order.dispute_opened': 'opened_at',
    'order.dispute_closed': 'closed_at',
    'order.refunded': 'refunded_at',
    'order.cancelled': 'cancelled_at',
  }[type];
  const value = data[field];
  return value instanceof Date ? value : createdAt;
}

export function rejected(id: string | null, code: ErrorCode, message: string): EventOutcome {
  return { id, status: 'rejected', error: { code, message } };
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`)
    .join('; ');
}
