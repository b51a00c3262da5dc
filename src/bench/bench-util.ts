import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { table } from '../lib/text-table.js';

export const CLI = path.resolve('dist/cli/main.js');

/** Runs the affnet CLI to completion; resolves with the wall time in ms (rejects on failure). */
/**
 * With AFFNET_BENCH_PROFILE=DIR, every affnet process a bench starts writes a V8 CPU profile
 * into DIR (node refuses --cpu-prof in NODE_OPTIONS).
 */
export function profileArgs(): string[] {
  const dir = process.env.AFFNET_BENCH_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

export function timeCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ ms: number; stdout: string; stderr: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [...profileArgs(), CLI, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve({ ms, stdout, stderr });
      else reject(new Error(`affnet ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

/** A fresh PostgreSQL database for one benchmark run; drop() removes it. */
export async function freshPostgres(
  baseUrl: string,
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/** The PostgreSQL to benchmark against: DATABASE_URL, else the machine's local one if it answers. */
export async function postgresUrl(): Promise<string | undefined> {
  const candidate = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: candidate, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return candidate;
  } catch {
    return undefined;
  }
}

/**
 * Runs a measurement on SQLite, then on a fresh PostgreSQL database when one answers (under
 * CI one must).
 */
export async function onEachDatabase(
  prefix: string,
  measure: (database: string, databaseUrl: string | undefined) => Promise<void>,
): Promise<void> {
  // AFFNET_BENCH_DATABASES=sqlite (or postgres) measures one only, when profiling.
  const only = process.env.AFFNET_BENCH_DATABASES;
  if (only !== 'postgres') await measure('sqlite', undefined);
  if (only === 'sqlite') return;
  const base = await postgresUrl();
  if (!base) {
    if (process.env.CI) throw new Error('PostgreSQL is not reachable');
    console.log('postgres: not reachable, skipped');
    return;
  }
  const database = await freshPostgres(base, prefix);
  try {
    await measure('postgres', database.url);
  } finally {
    await database.drop();
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The environment of an affnet process in a scratch installation (its own data directory and database). */
export function cliEnv(
  dataDir: string,
  databaseUrl: string | undefined,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  return {
    ...inherited,
    AFFNET_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...extra,
  };
}

/** Resolves with the URL a server prints once it listens; rejects if it exits first. */
export function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before listening: ${err}${out}`)));
  });
}

export { table };
