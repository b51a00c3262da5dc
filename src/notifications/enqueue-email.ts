import assert from 'node:assert/strict';
import type { Ctx } from '../context.js';
import { type BulkSpec, bulkUpsertAll } from '../db/bulk-upsert.js';
import { toDbTime } from '../db/time.js';
import { newId } from '../lib/ids.js';

export type OutboxEmail = {
  /** What the email is about, e.g. `withdrawal_failed:wd_…`: the same key is queued once. */
  key: string;
  /** The kind of email, e.g. `withdrawal_failed`, for logs and reports. */
  kind: string;
  to: string;
  subject: string;
  text: string;
};

/**
 * Queues an email in the outbox; `deliverOutbox` sends it later. Pass the ctx of the
 * transaction that moves the money, so the email is queued exactly when that commits.
 * Returns false when an email with this key was queued before (nothing is written).
 */
export async function enqueueEmail(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  email: OutboxEmail,
): Promise<boolean> {
  assert(email.key.length > 0, 'enqueueEmail: empty key');
  assert(email.to.includes('@'), `enqueueEmail: bad address for ${email.key}`);
  const inserted = await ctx.db
    .insertInto('email_outbox')
    .values({
      id: newId('eml', ctx.clock),
      key: email.key,
      kind: email.kind,
      to_address: email.to,
      subject: email.subject,
      body_text: email.text,
      created_at: toDbTime(ctx.clock.now()),
      sent_at: null,
      attempts: 0,
      last_error: null,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

const outboxSpec: BulkSpec = {
  table: 'email_outbox',
  columns: [
    ...['id', 'key', 'kind', 'to_address', 'subject', 'body_text', 'created_at', 'sent_at'].map(
      (name) => ({ name, type: 'text' as const }),
    ),
    { name: 'attempts', type: 'bigint' },
    { name: 'last_error', type: 'text' },
  ],
  conflict: ['key'],
  update: 'nothing',
};

/** enqueueEmail for many at once (a bank file's worth): keys queued before are skipped. */
export async function enqueueEmails(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  emails: readonly OutboxEmail[],
): Promise<void> {
  const now = toDbTime(ctx.clock.now());
  const rows = emails.map((email) => {
    assert(email.key.length > 0, 'enqueueEmails: empty key');
    assert(email.to.includes('@'), `enqueueEmails: bad address for ${email.key}`);
    return [
      newId('eml', ctx.clock),
      email.key,
      email.kind,
      email.to,
      email.subject,
      email.text,
      now,
      null,
      0n,
      null,
    ];
  });
  await bulkUpsertAll(ctx, outboxSpec, rows);
}
