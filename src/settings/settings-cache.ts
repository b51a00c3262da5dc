import type { Ctx } from '../context.js';
import { every } from '../lib/every.js';
import { getSettings } from './get-settings.js';
import type { ProgramSettings } from './schema.js';

const REFRESH_MS = 5000;

/**
 * The settings in force now, re-read every five seconds, for code that cannot wait for a
 * query on every request (the redirect's cookie lifetime).
 */
export class SettingsCache {
  readonly #ctx: Pick<Ctx, 'db' | 'clock' | 'log'>;
  #settings: ProgramSettings | undefined;
  #stop = () => {};

  constructor(ctx: Pick<Ctx, 'db' | 'clock' | 'log'>) {
    this.#ctx = ctx;
  }

  async start(): Promise<void> {
    await this.refresh();
    this.#stop = every(REFRESH_MS, () => this.refresh(), this.#ctx.log, 'settings refresh');
  }

  stop(): void {
    this.#stop();
  }

  async refresh(): Promise<void> {
    this.#settings = await getSettings(this.#ctx.db, this.#ctx.clock.now());
  }

  get current(): ProgramSettings {
    if (!this.#settings) throw new Error('SettingsCache used before start()');
    return this.#settings;
  }
}
