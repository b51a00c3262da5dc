import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';

/** An email that failed this many times stays in the outbox, unsent, for an operator to see. */
export const MAX_DELIVERY_ATTEMPTS = 10;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const ERROR_CHARS = 500;
// nodemailer waits up to 2 minutes to connect and 10 minutes on a silent socket: one
// stuck server would hold a whole run. The URL's own query parameters still win.
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

export type DeliverOutboxOptions = {
  /** smtp:// or smtps:// URL; unset, each email is written to `<dataDir>/outbox/<id>.eml`. */
  smtpUrl?: string | undefined;
  /** The From header, e.g. `affnet <no-reply@affnet.localhost>`. */
  from: string;
  dataDir: string;
  /** Emails taken in this run, oldest first; 100 by default. */
  limit?: number;
};

type Sender = {
  send(message: SendMailOptions, id: string): Promise<void>;
  close(): void;
};

/**
 * Delivers unsent emails from the outbox, oldest first, through SMTP or as .eml files.
 * Each one is marked sent right after it goes out; a failure counts an attempt, keeps the
 * error, and the run goes on with the next email. Meant for one runner at a time: two
 * runs at once could both send the same email.
 */
export async function deliverOutbox(
  ctx: Pick<Ctx, 'db' | 'clock' | 'log'>,
  options: DeliverOutboxOptions,
): Promise<{ sent: number; failed: number }> {
  const limit = options.limit ?? DEFAULT_LIMIT;
  assert(Number.isInteger(limit) && limit > 0 && limit <= MAX_LIMIT, `bad limit ${limit}`);
  const due = await ctx.db
    .selectFrom('email_outbox')
    .select(['id', 'key', 'to_address', 'subject', 'body_text', 'attempts'])
    .where('sent_at', 'is', null)
    .where('attempts', '<', BigInt(MAX_DELIVERY_ATTEMPTS))
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  const result = { sent: 0, failed: 0 };
  if (due.length === 0) return result;

  const sender = options.smtpUrl
    ? smtpSender(options.smtpUrl)
    : fileSender(path.join(options.dataDir, 'outbox'));
  const domain = domainOf(options.from);
  try {
    for (const email of due) {
      try {
        await sender.send(
          {
            from: options.from,
            to: email.to_address,
            subject: email.subject,
            text: email.body_text,
            date: ctx.clock.now(),
            // The same id on every attempt: a receiver can drop a copy sent twice.
            messageId: `<${email.id}@${domain}>`,
          },
          email.id,
        );
      } catch (error) {
        result.failed += 1;
        const attempts = Number(email.attempts) + 1;
        const message = error instanceof Error ? error.message : String(error);
        await ctx.db
          .updateTable('email_outbox')
          .set((eb) => ({
            attempts: eb('attempts', '+', 1n),
            last_error: message.slice(0, ERROR_CHARS),
          }))
          .where('id', '=', email.id)
          .execute();
        const level = attempts >= MAX_DELIVERY_ATTEMPTS ? 'error' : 'warn';
        ctx.log[level](
          { emailId: email.id, key: email.key, attempts, err: error },
          attempts >= MAX_DELIVERY_ATTEMPTS
            ? 'email not delivered; giving up'
            : 'email not delivered',
        );
        continue;
      }
      await ctx.db
        .updateTable('email_outbox')
        .set({ sent_at: toDbTime(ctx.clock.now()) })
        .where('id', '=', email.id)
        .where('sent_at', 'is', null)
        .execute();
      result.sent += 1;
    }
  } finally {
    sender.close();
  }
  return result;
}

function smtpSender(url: string): Sender {
  const transport = nodemailer.createTransport({ ...SMTP_TIMEOUTS, url });
  return {
    async send(message) {
      await transport.sendMail(message);
    },
    close: () => transport.close(),
  };
}

/** Without SMTP: RFC 5322 files that any mail client opens, for development and tests. */
function fileSender(dir: string): Sender {
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
  });
  return {
    async send(message, id) {
      const info = await transport.sendMail(message);
      assert(Buffer.isBuffer(info.message), 'stream transport with buffer: true returns a Buffer');
      await fs.mkdir(dir, { recursive: true });
      // Written aside then renamed: whoever watches the folder never sees half a message.
      const file = path.join(dir, `${id}.eml`);
      await fs.writeFile(`${file}.tmp`, info.message);
      await fs.rename(`${file}.tmp`, file);
    },
    close: () => transport.close(),
  };
}

/** The domain of the From address, for Message-IDs. */
function domainOf(from: string): string {
  return /@([^\s<>@]+)>?\s*$/.exec(from)?.[1] ?? 'affnet.localhost';
}
