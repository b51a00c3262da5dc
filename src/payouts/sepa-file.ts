import assert from 'node:assert/strict';
import { formatDecimal } from '../money.js';
import {
  type BankFileHeader,
  type BankFileOutput,
  type BankTransfer,
  streamBankFile,
} from './bank-file.js';

const NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03';
// Patterns copied from the pain.001.001.03 schema, so a bad value fails here, naming the
// transfer, and not at the bank, naming a line number.
const IBAN = /^[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}$/;
const BIC = /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/;
const COUNTRY = /^[A-Z]{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
// Ids are kept verbatim, never transliterated: the bank reports them back on returns.
const ID = /^[\x21-\x7e]{1,35}$/;

/**
 * Writes a SEPA credit transfer file (ISO 20022 pain.001.001.03): one payment instruction
 * debiting `header.debtor`, then one transaction per transfer as `transfers` yields it, waiting
 * whenever `out` is full. Throws when the transfers do not add up to `header.count` and
 * `header.totalMinor`, leaving the document unclosed. Does not end `out`.
 */
export async function writeSepaFile(
  out: BankFileOutput,
  header: BankFileHeader,
  transfers: AsyncIterable<BankTransfer>,
): Promise<void> {
  await streamBankFile(out, header, transfers, {
    head: sepaHead(header),
    row: (transfer) => sepaTransaction(transfer, header.currency),
    tail: '    </PmtInf>\n  </CstmrCdtTrfInitn>\n</Document>\n',
  });
}

function sepaHead(header: BankFileHeader): string {
  assert.equal(header.currency, 'EUR', 'SEPA credit transfers are in euros only');
  assert.ok(header.count >= 1, 'a SEPA payment instruction needs at least one transfer');
  assert.match(header.batchId, ID, 'batch id: 1–35 printable ASCII characters');
  assert.match(header.executionDate, DATE, 'execution date: YYYY-MM-DD');
  const created = new Date(header.createdAt);
  assert.ok(!Number.isNaN(created.getTime()), `createdAt is not a date: ${header.createdAt}`);
  const { debtor } = header;
  assert.match(debtor.iban, IBAN, 'debtor IBAN, electronic format');
  assert.match(debtor.bic, BIC, 'debtor BIC');
  const debtorName = el('Nm', partyName(debtor.name));
  const count = String(header.count);
  const total = formatDecimal(header.totalMinor, header.currency);
  return lines(
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="${NAMESPACE}">`,
    '  <CstmrCdtTrfInitn>',
    '    <GrpHdr>',
    `      ${el('MsgId', header.batchId)}`,
    `      ${el('CreDtTm', created.toISOString().slice(0, 19))}`,
    `      ${el('NbOfTxs', count)}`,
    `      ${el('CtrlSum', total)}`,
    `      <InitgPty>${debtorName}</InitgPty>`,
    '    </GrpHdr>',
    '    <PmtInf>',
    `      ${el('PmtInfId', header.batchId)}`,
    '      <PmtMtd>TRF</PmtMtd>',
    '      <BtchBookg>true</BtchBookg>',
    `      ${el('NbOfTxs', count)}`,
    `      ${el('CtrlSum', total)}`,
    '      <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>',
    `      ${el('ReqdExctnDt', header.executionDate)}`,
    `      <Dbtr>${debtorName}</Dbtr>`,
    `      <DbtrAcct><Id>${el('IBAN', debtor.iban)}</Id></DbtrAcct>`,
    `      <DbtrAgt><FinInstnId>${el('BIC', debtor.bic)}</FinInstnId></DbtrAgt>`,
    '      <ChrgBr>SLEV</ChrgBr>',
  );
}

function sepaTransaction(transfer: BankTransfer, currency: string): string {
  const { endToEndId, creditorIban, creditorBic } = transfer;
  assert.match(endToEndId, ID, `EndToEndId ${endToEndId}: 1–35 printable ASCII characters`);
  assert.ok(creditorIban !== null, `transfer ${endToEndId}: SEPA needs an IBAN`);
  assert.match(creditorIban, IBAN, `transfer ${endToEndId}: IBAN, electronic format`);
  assert.match(transfer.creditorCountry, COUNTRY, `transfer ${endToEndId}: country`);
  if (creditorBic !== null) assert.match(creditorBic, BIC, `transfer ${endToEndId}: BIC`);
  const amount = formatDecimal(transfer.amountMinor, currency);
  const remittance = sepaText(transfer.remittance, 140);
  return lines(
    '      <CdtTrfTxInf>',
    `        <PmtId>${el('EndToEndId', endToEndId)}</PmtId>`,
    `        <Amt><InstdAmt Ccy="${escapeXml(currency)}">${amount}</InstdAmt></Amt>`,
    creditorBic && `        <CdtrAgt><FinInstnId>${el('BIC', creditorBic)}</FinInstnId></CdtrAgt>`,
    `        <Cdtr>${el('Nm', partyName(transfer.creditorName))}` +
      `<PstlAdr>${el('Ctry', transfer.creditorCountry)}</PstlAdr></Cdtr>`,
    `        <CdtrAcct><Id>${el('IBAN', creditorIban)}</Id></CdtrAcct>`,
    remittance && `        <RmtInf>${el('Ustrd', remittance)}</RmtInf>`,
    '      </CdtTrfTxInf>',
  );
}

/** Latin letters SEPA may not carry, spelt the way a bank clerk would. */
// biome-ignore format: a table reads better on two lines than on twenty
const SPELLING: Record<string, string> = {
  ß: 'ss', Ł: 'L', ł: 'l', Ø: 'O', ø: 'o', Æ: 'AE', æ: 'ae', Œ: 'OE', œ: 'oe', Đ: 'D', đ: 'd',
  Þ: 'TH', þ: 'th', ı: 'i', '&': '+', '"': "'", '‘': "'", '’': "'", '«': "'", '»': "'",
};

/**
 * `value` in the SEPA character set (a-z A-Z 0-9 / - ? : ( ) . , ' + space), cut to
 * `maxLength`: accents dropped ('Zoë' → 'Zoe'), a few letters spelt out ('ß' → 'ss'),
 * anything else → '?'. Banks reject, or garble, a file with other characters.
 */
export function sepaText(value: string, maxLength: number): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/\s+/gu, ' ')
    .replace(/[^a-zA-Z0-9/\-?:().,'+ ]/gu, (char) => SPELLING[char] ?? '?')
    .trim()
    .slice(0, maxLength)
    .trimEnd();
}

function partyName(value: string): string {
  const name = sepaText(value, 70);
  assert.ok(name.length > 0, 'empty account holder name');
  return name;
}

function el(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ENTITIES[char] ?? char);
}

/** Joins the lines that are not empty or false, each ending in a newline. */
function lines(...parts: (string | false | null | '')[]): string {
  return `${parts.filter(Boolean).join('\n')}\n`;
}
