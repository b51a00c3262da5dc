import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { inTransaction } from '../context.js';
import { describeEachDatabase, TEST_START } from '../test/context.js';
import { deliverOutbox, MAX_DELIVERY_ATTEMPTS } from './deliver-outbox.js';
import { enqueueEmail, type OutboxEmail } from './enqueue-email.js';

const FROM = 'affnet <no-reply@affnet.localhost>';

function email(key: string, overrides: Partial<OutboxEmail> = {}): OutboxEmail {
  return {
    key,
    kind: 'withdrawal_failed',
    to: 'ada@example.com',
    subject: 'Retrait échoué : 12,00 €',
    text: 'Bonjour Ada,\n\nvotre retrait de 12,00 € a échoué. L’argent est de retour.\n',
    ...overrides,
  };
}

function addresses(to: AddressObject | AddressObject[] | undefined): string[] {
  return [to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
}

/** A local SMTP server without TLS; `reject` makes it refuse every message with that reply. */
async function startSmtpServer(reject?: string) {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      if (reject !== undefined) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error(reject), { responseCode: 550 })));
        return;
      }
      simpleParser(stream).then((mail) => {
        received.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 that nothing listens on (it did a moment ago). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeEachDatabase('email outbox', (t) => {
  let dataDir = '';
  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'affnet-outbox-'));
  });
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    // Every test delivers "everything unsent": start each from an empty outbox.
    await t().db.deleteFrom('email_outbox').execute();
    t().clock.set(TEST_START);
  });

  const row = (key: string) =>
    t().db.selectFrom('email_outbox').selectAll().where('key', '=', key).executeTakeFirstOrThrow();

  it('queues an email once per key: the second enqueue writes nothing', async () => {
    const ctx = t();
    expect(await enqueueEmail(ctx, email('withdrawal_failed:wd_1'))).toBe(true);
    const again = email('withdrawal_failed:wd_1', { subject: 'another subject' });
    expect(await enqueueEmail(ctx, again)).toBe(false);
    const rows = await ctx.db.selectFrom('email_outbox').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      key: 'withdrawal_failed:wd_1',
      to_address: 'ada@example.com',
      subject: 'Retrait échoué : 12,00 €',
      created_at: TEST_START,
      sent_at: null,
      attempts: 0n,
      last_error: null,
    });
    expect(rows[0]?.id).toMatch(/^eml_/);
  });

  it('queues an email with the transaction it is part of: a rollback leaves none', async () => {
    const ctx = t();
    await expect(
      inTransaction(ctx, async (tx) => {
        expect(await enqueueEmail(tx, email('withdrawal_failed:wd_2'))).toBe(true);
        throw new Error('the money movement failed');
      }),
    ).rejects.toThrow('the money movement failed');
    expect(await ctx.db.selectFrom('email_outbox').select('id').execute()).toEqual([]);
    await inTransaction(ctx, (tx) => enqueueEmail(tx, email('withdrawal_failed:wd_2')));
    expect((await row('withdrawal_failed:wd_2')).sent_at).toBeNull();
  });

  it('without SMTP, writes each email as a .eml file and marks it sent, once', async () => {
    const ctx = t();
    await enqueueEmail(ctx, email('withdrawal_failed:wd_3'));
    await enqueueEmail(
      ctx,
      email('withdrawal_paid:wd_4', { to: 'bob@example.com', subject: 'Paid' }),
    );
    ctx.clock.set('2026-03-01T12:05:00.000Z');
    expect(await deliverOutbox(ctx, { from: FROM, dataDir })).toEqual({ sent: 2, failed: 0 });

    const first = await row('withdrawal_failed:wd_3');
    expect(first.sent_at).toBe('2026-03-01T12:05:00.000Z');
    const raw = await fs.readFile(path.join(dataDir, 'outbox', `${first.id}.eml`));
    expect(raw.toString('latin1')).toMatch(/\r\n\r\n/);
    const mail = await simpleParser(raw);
    expect(addresses(mail.to)).toEqual(['ada@example.com']);
    expect(addresses(mail.from)).toEqual(['no-reply@affnet.localhost']);
    expect(mail.subject).toBe('Retrait échoué : 12,00 €');
    expect(mail.text).toBe(email('').text);
    expect(mail.date?.toISOString()).toBe('2026-03-01T12:05:00.000Z');
    expect(mail.messageId).toBe(`<${first.id}@affnet.localhost>`);

    const second = await row('withdrawal_paid:wd_4');
    const paid = await simpleParser(
      await fs.readFile(path.join(dataDir, 'outbox', `${second.id}.eml`)),
    );
    expect([addresses(paid.to), paid.subject]).toEqual([['bob@example.com'], 'Paid']);
    expect(
      (await fs.readdir(path.join(dataDir, 'outbox'))).filter((f) => f.endsWith('.tmp')),
    ).toEqual([]);

    expect(await deliverOutbox(ctx, { from: FROM, dataDir })).toEqual({ sent: 0, failed: 0 });
  });

  it('takes the oldest emails first, up to the limit, and skips those that failed too often', async () => {
    const ctx = t();
    for (const n of [1, 2, 3]) {
      await enqueueEmail(ctx, email(`k:${n}`));
      ctx.clock.advance(1000);
    }
    await enqueueEmail(ctx, email('k:given-up'));
    await ctx.db
      .updateTable('email_outbox')
      .set({ attempts: MAX_DELIVERY_ATTEMPTS })
      .where('key', '=', 'k:given-up')
      .execute();
    expect(await deliverOutbox(ctx, { from: FROM, dataDir, limit: 2 })).toEqual({
      sent: 2,
      failed: 0,
    });
    expect((await row('k:3')).sent_at).toBeNull();
    expect(await deliverOutbox(ctx, { from: FROM, dataDir })).toEqual({ sent: 1, failed: 0 });
    expect(await deliverOutbox(ctx, { from: FROM, dataDir })).toEqual({ sent: 0, failed: 0 });
    expect((await row('k:given-up')).sent_at).toBeNull();
  });

  it('delivers through an SMTP server', async () => {
    const ctx = t();
    const smtp = await startSmtpServer();
    try {
      await enqueueEmail(ctx, email('withdrawal_failed:wd_5'));
      const result = await deliverOutbox(ctx, { smtpUrl: smtp.url, from: FROM, dataDir });
      expect(result).toEqual({ sent: 1, failed: 0 });
      expect(smtp.received).toHaveLength(1);
      const [mail] = smtp.received;
      expect(addresses(mail?.to)).toEqual(['ada@example.com']);
      expect(mail?.subject).toBe('Retrait échoué : 12,00 €');
      expect(mail?.text).toBe(email('').text);
      expect((await row('withdrawal_failed:wd_5')).sent_at).toBe(TEST_START);
      expect(await deliverOutbox(ctx, { smtpUrl: smtp.url, from: FROM, dataDir })).toEqual({
        sent: 0,
        failed: 0,
      });
      expect(smtp.received).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });

  it('counts a refused or unreachable SMTP delivery as a failed attempt and goes on', async () => {
    const ctx = t();
    const warn = vi.spyOn(ctx.log, 'warn');
    const smtp = await startSmtpServer(`mailbox unavailable ${'x'.repeat(600)}`);
    try {
      await enqueueEmail(ctx, email('withdrawal_failed:wd_6'));
      await enqueueEmail(ctx, email('withdrawal_failed:wd_7', { to: 'bob@example.com' }));
      const refused = await deliverOutbox(ctx, { smtpUrl: smtp.url, from: FROM, dataDir });
      expect(refused).toEqual({ sent: 0, failed: 2 });
      for (const key of ['withdrawal_failed:wd_6', 'withdrawal_failed:wd_7']) {
        const failed = await row(key);
        expect(failed).toMatchObject({ sent_at: null, attempts: 1n });
        expect(failed.last_error).toMatch(/550.*mailbox unavailable/);
        expect(failed.last_error).toHaveLength(500);
      }
      expect(warn).toHaveBeenCalledTimes(2);

      const unreachable = `smtp://127.0.0.1:${await closedPort()}?ignoreTLS=true`;
      const down = await deliverOutbox(ctx, { smtpUrl: unreachable, from: FROM, dataDir });
      expect(down).toEqual({ sent: 0, failed: 2 });
      expect(await row('withdrawal_failed:wd_6')).toMatchObject({ sent_at: null, attempts: 2n });
      expect((await row('withdrawal_failed:wd_6')).last_error).toMatch(/ECONNREFUSED/);
    } finally {
      warn.mockRestore();
      await smtp.close();
    }
  });
});
