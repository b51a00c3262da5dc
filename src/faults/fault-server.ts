import { type ChildProcess, spawn } from 'node:child_process';
import readline from 'node:readline';
import { CLI } from '../bench/bench-util.js';
import { sleep } from './wait.js';

type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** Every server this run started and that has not exited: killed if the run itself fails. */
const running = new Set<ChildProcess>();

/**
 * `affnet serve` as a child process of the fault run (PORT=0 in `env`): started, killed with
 * SIGKILL at the moment a phase chooses, started again on the same data, stopped gracefully.
 * Its log (stderr) is kept, the last few KB, to explain a server that failed.
 */
export class FaultServer {
  /** The address, once the server listens and answers /healthz; rejects if it exits first. */
  readonly url: Promise<string>;
  readonly exited: Promise<Exit>;
  #log = '';

  private constructor(readonly child: ChildProcess) {
    running.add(child);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        running.delete(child);
        resolve({ code, signal });
      }),
    );
    readline
      .createInterface({ input: child.stderr as NodeJS.ReadableStream })
      .on('line', (line) => {
        this.#log = `${this.#log}${line}\n`.slice(-4000);
      });
    const listening = new Promise<string>((resolve, reject) => {
      readline
        .createInterface({ input: child.stdout as NodeJS.ReadableStream })
        .on('line', (line) => {
          const match = /listening on (http:\/\/\S+)/.exec(line);
          if (match) resolve(match[1] as string);
        });
      void this.exited.then(({ code, signal }) =>
        reject(new Error(`affnet serve exited (${signal ?? code}) before listening: ${this.#log}`)),
      );
    });
    this.url = listening.then(async (url) => {
      for (let attempt = 0; attempt < 100; attempt += 1) {
        this.assertRunning();
        const ok = await fetch(`${url}/healthz`).then(
          async (r) => (await r.arrayBuffer()) && r.ok,
          () => false,
        );
        if (ok) return url;
        await sleep(50);
      }
      throw new Error(`affnet serve at ${url} never answered /healthz: ${this.#log}`);
    });
    // A phase may kill the server before it printed its address: that is not an error.
    this.url.catch(() => undefined);
  }

  /** `affnet serve [args]`; its job scheduler ticks as soon as it listens. */
  static start(env: NodeJS.ProcessEnv, args: readonly string[] = []): FaultServer {
    return new FaultServer(
      spawn(process.execPath, [CLI, 'serve', ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
  }

  /** kill -9: no handler runs, nothing in memory is written. Resolves once it has exited. */
  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    const { signal } = await this.exited;
    if (signal !== 'SIGKILL')
      throw new Error(`the server exited on its own before the kill: ${this.#log}`);
  }

  /** SIGTERM: the graceful stop (in-flight work finishes, clicks in memory are written). */
  async stop(): Promise<void> {
    await this.url;
    this.child.kill('SIGTERM');
    const { code, signal } = await this.exited;
    if (code !== 0)
      throw new Error(`affnet serve stopped with ${signal ?? `exit code ${code}`}: ${this.#log}`);
  }

  /** Throws once the server has exited: a phase waiting on its work stops at once. */
  assertRunning(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null)
      throw new Error(
        `affnet serve exited (${this.child.signalCode ?? this.child.exitCode}): ${this.#log}`,
      );
  }

  get log(): string {
    return this.#log;
  }
}

/** Kills every server still running (the run failed or timed out): none is left behind. */
export function killStartedServers(): void {
  for (const child of running) child.kill('SIGKILL');
}
