import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { each, seedHeader, seedTransfer, writeToString } from '../test/bank-files.js';
import { validateSepa } from '../test/validate-sepa.js';
import type { BankFileHeader, BankTransfer } from './bank-file.js';
import { sepaText, writeSepaFile } from './sepa-file.js';

const validate = validateSepa;
const sepaXml = (transfers: BankTransfer[], header: Partial<BankFileHeader> = {}) =>
  writeToString(writeSepaFile, transfers, header);

const awkward = [
  seedTransfer(0, {
    amountMinor: 1234n,
    creditorName: 'Tom & Jerry <Ltd> "Quotes"',
    creditorBic: 'BNPAFRPPXXX',
  }),
  seedTransfer(1, { amountMinor: 1n, creditorName: 'Zoë Müller-Łukasz', creditorCountry: 'DE' }),
  seedTransfer(2, { amountMinor: 99_999_999n, creditorName: 'Maximilian '.repeat(20) }),
  seedTransfer(3, { amountMinor: 100n, creditorName: '王小明', remittance: 'x'.repeat(200) }),
];

describe('writeSepaFile', () => {
  it('writes a batch with awkward holder names that pain.001.001.03 accepts', async () => {
    const xml = await sepaXml(awkward);
    const result = await validate(xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);

    expect(xml.match(/<NbOfTxs>4<\/NbOfTxs>/g)).toHaveLength(2);
    expect(xml.match(/<CtrlSum>1000013.34<\/CtrlSum>/g)).toHaveLength(2);
    expect(xml).toContain('<MsgId>pb-01kbx9m2r4t6v8w0y2a4c6e8g0</MsgId>');
    expect(xml).toContain('<CreDtTm>2026-11-26T10:00:00</CreDtTm>');
    const amounts = [...xml.matchAll(/<InstdAmt Ccy="EUR">([^<]*)</g)].map((m) => m[1]);
    expect(amounts).toEqual(['12.34', '0.01', '999999.99', '1.00']);
    const ids = [...xml.matchAll(/<EndToEndId>([^<]*)</g)].map((m) => m[1]);
    expect(ids).toEqual(awkward.map((t) => t.endToEndId));
    expect(xml).toContain(`<Nm>Tom + Jerry ?Ltd? 'Quotes'</Nm>`);
    expect(xml).toContain('<Nm>Zoe Muller-Lukasz</Nm>');
    expect(xml).toContain(`<Nm>${'Maximilian '.repeat(7).slice(0, 70).trimEnd()}</Nm>`);
    expect(xml).toContain('<Nm>???</Nm>');
    expect(xml).toContain(`<Ustrd>${'x'.repeat(140)}</Ustrd>`);
    expect(xml.match(/<CdtrAgt>/g)).toHaveLength(1); // only the transfer with a known BIC
  });

  it('escapes markup in ids, which are written verbatim', async () => {
    const xml = await sepaXml([seedTransfer(0, { endToEndId: 'wd_a&b<c>' })]);
    expect(xml).toContain('<EndToEndId>wd_a&amp;b&lt;c&gt;</EndToEndId>');
    expect((await validate(xml)).valid).toBe(true);
  });

  it('is checked by a validator that rejects what the schema forbids', async () => {
    const xml = await sepaXml(awkward);
    const longId = xml.replace(awkward[0]?.endToEndId ?? '', 'x'.repeat(36));
    const tooLong = await validate(longId);
    expect(tooLong.valid).toBe(false);
    expect(tooLong.errors[0]?.message).toMatch(/EndToEndId.*maxLength/);

    const noDate = await validate(xml.replace(/<ReqdExctnDt>.*<\/ReqdExctnDt>/, ''));
    expect(noDate.valid).toBe(false);
    // CtrlSum is optional in the schema, so dropping it is no test of the validator.
    expect((await validate(xml.replaceAll(/<CtrlSum>.*<\/CtrlSum>/g, ''))).valid).toBe(true);
  });

  it('refuses transfers that do not add up to the header, leaving the document unclosed', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const two = [seedTransfer(0), seedTransfer(1)]; // 1 + 2 cents
    await expect(
      writeSepaFile(out, seedHeader({ count: 2, totalMinor: 4n }), each(two)),
    ).rejects.toThrow(
      'streamed 2 transfers totalling 0.03 EUR, header says 2 transfers totalling 0.04 EUR',
    );
    expect(text).not.toContain('</Document>');
    await expect(
      writeSepaFile(new PassThrough(), seedHeader({ count: 3, totalMinor: 3n }), each(two)),
    ).rejects.toThrow('streamed 2 transfers');
    await expect(
      writeSepaFile(new PassThrough(), seedHeader({ count: 1, totalMinor: 3n }), each(two)),
    ).rejects.toThrow('streamed more than 1 transfers');
  });

  it('treats a transfer without an IBAN, or a batch not in euros, as a programmer error', async () => {
    await expect(sepaXml([seedTransfer(0, { creditorIban: null })])).rejects.toThrow(/IBAN/);
    await expect(sepaXml([seedTransfer(0)], { currency: 'USD' })).rejects.toThrow(/euros/);
  });

  it('streams 20,000 transfers, pulling each only after the one before was written', async () => {
    const count = 20_000;
    const dir = await mkdtemp(join(tmpdir(), 'affnet-sepa-'));
    const file = await open(join(dir, 'batch.xml'), 'w');
    let written = 0;
    let pulled = 0;
    let maxAhead = 0;
    const out = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.toString().split('</CdtTrfTxInf>').length - 1;
        file.write(chunk).then(() => callback(), callback);
      },
    });
    async function* transfers() {
      for (let n = 0; n < count; n++) {
        maxAhead = Math.max(maxAhead, pulled - written);
        pulled += 1;
        yield seedTransfer(n, { creditorName: `Zoë Müller ${n}` });
      }
    }
    const totalMinor = (BigInt(count) * BigInt(count + 1)) / 2n; // 1 + 2 + … + count cents
    try {
      await writeSepaFile(out, seedHeader({ count, totalMinor }), transfers());
      out.end();
      await finished(out);
      await file.close();
      expect(written).toBe(count);
      // Ignoring backpressure would pull all 20,000 before the first file write completed.
      expect(maxAhead).toBeLessThanOrEqual(3);
      const xml = await readFile(join(dir, 'batch.xml'), 'utf8');
      expect(xml).toContain('<CtrlSum>2000100.00</CtrlSum>');
      const result = await validate(xml);
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
    } finally {
      await file.close().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('sepaText', () => {
  it.each([
    ['Zoë Müller-Łukasz', 70, 'Zoe Muller-Lukasz'],
    ['Straße 5 & Söhne', 70, 'Strasse 5 + Sohne'],
    ['Ørsted Æbleskiver', 70, 'Orsted AEbleskiver'],
    ['王小明 😀', 70, '??? ?'],
    ['  two\n\tlines  ', 70, 'two lines'],
    ['ﬁnance №1', 70, 'finance No1'],
    ['abcdef ghij', 7, 'abcdef'],
  ])('%j (max %i) → %j', (value, maxLength, expected) => {
    expect(sepaText(value, maxLength)).toBe(expected);
  });
});
