import { type ChildProcess, spawn } from 'node:child_process';
import readline from 'node:readline';
import { CLI, profileArgs } from '../bench/bench-util.js';
import { GcTrace } from './memory.js';

const KEEP_ERROR_LINES = 5;

/**
 * `affnet serve` as a child process (PORT=0 in `env`), run under `node --trace-gc` so that
 * its heap can be followed without an endpoint for it. Its output is read line by line: on
 * stdout the address it listens on, its GC lines and the counts it prints when it stops; on
 * stderr its log, whose lines at level error or above are counted (the first few kept).
 */
export class SoakServer {
  readonly gc = new GcTrace();
  errorLogLines = 0;
  readonly firstErrorLines: string[] = [];
  #stopped = '';
  #stderr = '';
  #originMs = 0;

  private constructor(readonly child: ChildProcess) {}

  static async start(env: NodeJS.ProcessEnv): Promise<{ server: SoakServer; url: string }> {
    const child = spawn(process.execPath, ['--trace-gc', ...profileArgs(), CLI, 'serve'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new SoakServer(child);
    const url = await new Promise<string>((resolve, reject) => {
      const lines = (stream: NodeJS.ReadableStream | null) =>
        readline.createInterface({ input: stream as NodeJS.ReadableStream });
      lines(child.stdout).on('line', (line) => {
        const listening = /listening on (http:\/\/\S+)/.exec(line);
        if (listening) resolve(listening[1] as string);
        server.#out(line);
      });
      lines(child.stderr).on('line', (line) => server.#err(line));
      child.once('exit', (code) =>
        reject(new Error(`affnet serve exited ${code} before listening: ${server.#stderr}`)),
      );
    });
    return { server, url };
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** GC samples are timed from here: the start of the load. */
  setOrigin(ms: number): void {
    this.#originMs = ms;
  }

  /** SIGTERM (a graceful stop: the clicks in memory are written); resolves with its last line. */
  stop(): Promise<{ code: number | null; stopped: string; stderr: string }> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        return resolve({ code: this.child.exitCode, stopped: this.#stopped, stderr: this.#stderr });
      this.child.removeAllListeners('exit');
      // 'close' comes after the exit and the end of its output: every line has been read.
      this.child.once('close', (code) =>
        resolve({ code, stopped: this.#stopped, stderr: this.#stderr }),
      );
      this.child.kill('SIGTERM');
    });
  }

  #out(line: string): void {
    if (this.gc.line(line, performance.now() - this.#originMs)) return;
    if (line.startsWith('stopped:')) this.#stopped = line;
  }

  /** The server logs to stderr (pino's JSON lines: 50 is error, 60 fatal). */
  #err(line: string): void {
    this.#stderr = `${this.#stderr}${line}\n`.slice(-4000);
    if (!/^\{"level":(5|6)0,/.test(line)) return;
    this.errorLogLines += 1;
    if (this.firstErrorLines.length < KEEP_ERROR_LINES)
      this.firstErrorLines.push(line.slice(0, 500));
  }
}
