// npm run bench:payouts [-- --affiliates N] — the monthly payout run over N affiliates with
// balances (default 100,000), then the SEPA file for all of them, streamed: time, rate and
// the exporting process's peak memory against the same command with nothing to export.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { ManualClock } from '../clock.js';
import { loadConfig } from '../config.js';
import { inTransaction, openContext } from '../context.js';
import { type BulkSpec, bulkUpsert, MAX_BULK_ROWS } from '../db/bulk-upsert.js';
import { createTransfersBatch } from '../ledger/create-transfers-batch.js';
import { PROGRAM_OWNER } from '../ledger/schema.js';
import { ulid } from '../lib/ulid.js';
import { createLogger } from '../log.js';
import { updateSettings } from '../settings/update-settings.js';
import { CLI, cliEnv, onEachDatabase, table, timeCli } from './bench-util.js';

const arg = process.argv.indexOf('--affiliates');
const AFFILIATES = arg > 0 ? Number(process.argv[arg + 1]) : 100_000;
const PERIOD = '2026-10';
const SEEDED_AT = '2026-10-15T10:00:00.000Z';
const IBAN = 'DE89370400440532013000';

const rows: (string | number)[][] = [
  ['database', 'step', 'count', 'seconds', 'per second', 'peak RSS MB'],
];
console.log(
  `${AFFILIATES.toLocaleString('en')} affiliates; node ${process.version}, ${os.cpus().length} cores`,
);

const text = (name: string) => ({ name, type: 'text' as const });
const spec = (table: string, columns: string[]): BulkSpec => ({
  table,
  columns: columns.map(text),
  conflict: 'fail',
  update: 'nothing',
});
const users = spec('users', ['id', 'email', 'password_hash', 'role', 'created_at']);
const affiliates = spec('affiliates', [
  'id',
  'user_id',
  'country',
  'website_url',
  'status',
  'status_reason',
  'created_at',
  'status_changed_at',
]);
const banks = spec('bank_accounts', [
  'id',
  'affiliate_id',
  'kind',
  'holder_name',
  'country',
  'account_enc',
  'account_masked',
  'bic',
  'status',
  'created_at',
]);

await onEachDatabase('affnet_bench_payouts', async (database, databaseUrl) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-bench-payouts-'));
  const env = cliEnv(dataDir, databaseUrl);
  const clock = new ManualClock(SEEDED_AT);
  const ctx = await openContext(loadConfig(env), createLogger('warn'), clock);
  const seedStarted = performance.now();
  try {
    await updateSettings(ctx, {
      values: {
        settlementCurrency: 'EUR',
        payoutDebtorName: 'Affnet Bench GmbH',
        payoutDebtorIban: 'DE02120300000000202051',
        payoutDebtorBic: 'BYLADEM1001',
      },
    });
    // Affiliates, users and bank accounts written directly (sign-up one by one would take
    // longer than what is measured); their balances through the ledger.
    const sealed = ctx.secrets.seal(IBAN);
    for (let start = 0; start < AFFILIATES; start += MAX_BULK_ROWS) {
      const ids = Array.from({ length: Math.min(MAX_BULK_ROWS, AFFILIATES - start) }, () =>
        ulid(clock.now().getTime()),
      );
      await inTransaction(ctx, async (tx) => {
        await bulkUpsert(
          tx,
          users,
          ids.map((id) => [`usr_${id}`, `${id}@bench.example`, null, 'affiliate', SEEDED_AT]),
        );
        await bulkUpsert(
          tx,
          affiliates,
          ids.map((id) => [
            `aff_${id}`,
            `usr_${id}`,
            'DE',
            'https://bench.example',
            'approved',
            null,
            SEEDED_AT,
            SEEDED_AT,
          ]),
        );
        await bulkUpsert(
          tx,
          banks,
          ids.map((id, i) => [
            `bank_${id}`,
            `aff_${id}`,
            'iban',
            `Bench Payee ${start + i}`,
            'DE',
            sealed,
            'DE89 **** 3000',
            null,
            'active',
            SEEDED_AT,
          ]),
        );
        await createTransfersBatch(
          tx,
          ids.map((id, i) => ({
            kind: 'posted' as const,
            key: `bench-earning-${id}`,
            debit: { kind: 'commission_expense' as const, ownerId: PROGRAM_OWNER, currency: 'EUR' },
            credit: { kind: 'affiliate' as const, ownerId: `aff_${id}`, currency: 'EUR' },
            amountMinor: 2000n + BigInt((start + i) % 5000),
            code: 'bench_earning',
            ref: `bench-earning-${id}`,
            explanation: 'seeded by bench:payouts',
          })),
        );
      });
    }
    // Statistics for the planner, as autovacuum would gather them after a bulk load.
    if (ctx.dialect === 'postgres') await sql`analyze`.execute(ctx.db);
  } finally {
    await ctx.close();
  }
  console.log(`${database}: seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

  const run = await timedCli(['payouts', 'run', '--period', PERIOD, '--json'], env);
  const summary = JSON.parse(run.stdout);
  if (summary.paid !== AFFILIATES) throw new Error(`the run paid ${summary.paid} of ${AFFILIATES}`);
  rows.push(row(database, 'payout run', AFFILIATES, run));
  const again = await timedCli(['payouts', 'run', '--period', PERIOD, '--json'], env);
  if (JSON.parse(again.stdout).alreadyPaid !== AFFILIATES)
    throw new Error('a second run paid again');
  rows.push(row(database, 'run again (all paid)', AFFILIATES, again));

  const file = path.join(dataDir, 'sepa.xml');
  const exported = await timedCli(['payouts', 'export', '--format', 'sepa', '--out', file], env);
  const bytes = fs.statSync(file).size;
  const transfers = (fs.readFileSync(file, 'utf8').match(/<EndToEndId>/g) ?? []).length;
  if (transfers !== AFFILIATES) throw new Error(`the SEPA file holds ${transfers} transfers`);
  rows.push(row(database, `SEPA file (${(bytes / 1e6).toFixed(0)} MB)`, AFFILIATES, exported));
  // The same command with nothing to export: the process's own footprint.
  const idle = await timedCli(
    ['payouts', 'export', '--format', 'sepa', '--out', `${file}.none`],
    env,
  );
  rows.push(row(database, 'export, nothing to do', 0, idle));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

console.log(`\n${table(rows)}`);
console.log(
  '\nThe SEPA export streams: its peak RSS minus that of the idle export is the memory the file cost.',
);

function row(database: string, step: string, count: number, r: { ms: number; peakMb: number }) {
  const seconds = r.ms / 1000;
  return [
    database,
    step,
    count,
    seconds.toFixed(1),
    count ? Math.round(count / seconds) : '-',
    Math.round(r.peakMb),
  ];
}

/** timeCli, sampling the child's resident memory every 50 ms for its peak. */
async function timedCli(args: string[], env: NodeJS.ProcessEnv) {
  if (process.env.AFFNET_BENCH_PROFILE) return { ...(await timeCli(args, env)), peakMb: 0 };
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let peakMb = 0;
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const timer = setInterval(() => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peakMb = Math.max(peakMb, Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
    } catch {
      // the process has just exited
    }
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(timer);
  if (code !== 0)
    throw new Error(`affnet ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`);
  return { ms: performance.now() - started, stdout, stderr, peakMb };
}
