import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const CLI = path.resolve('dist/cli/main.js');

export type CliResult = { code: number | null; stdout: string; stderr: string };

/**
 * A scratch installation for end-to-end tests: its own data directory and, when
 * DATABASE_URL is set, its own fresh PostgreSQL database.
 */
export class CliSandbox {
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-e2e-'));
  databaseUrl: string | undefined;
  #database: string | undefined;

  async start(): Promise<this> {
    const base = process.env.DATABASE_URL;
    if (base) {
      this.#database = `affnet_e2e_${randomBytes(6).toString('hex')}`;
      await withClient(base, (c) => c.query(`create database ${this.#database}`));
      const url = new URL(base);
      url.pathname = `/${this.#database}`;
      this.databaseUrl = url.toString();
    }
    return this;
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    return {
      ...inherited,
      AFFNET_DATA_DIR: this.dataDir,
      LOG_LEVEL: 'warn',
      ...(this.databaseUrl ? { DATABASE_URL: this.databaseUrl } : {}),
      ...extra,
    };
  }

  run(args: string[], extra: Record<string, string> = {}): Promise<CliResult> {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: this.env(extra),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return collect(child);
  }

  spawn(args: string[], extra: Record<string, string> = {}): ChildProcess {
    return spawn(process.execPath, [CLI, ...args], {
      env: this.env(extra),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  async stop(): Promise<void> {
    fs.rmSync(this.dataDir, { recursive: true, force: true });
    const base = process.env.DATABASE_URL;
    if (base && this.#database)
      await withClient(base, (c) =>
        c.query(`drop database if exists ${this.#database} with (force)`),
      );
  }
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Resolves with the first stdout line matching the pattern (the process keeps running). */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let errors = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = buffer.match(pattern);
      if (match) {
        child.stdout?.off('data', onData);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.on('exit', (code) =>
      reject(new Error(`exited with ${code} before printing ${pattern}: ${errors}${buffer}`)),
    );
  });
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
