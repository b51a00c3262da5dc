import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has working defaults for a fresh machine', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      logLevel: 'info',
    });
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats empty variables as unset and reads the rest', () => {
    const config = loadConfig({ PORT: '0', DATABASE_URL: '', AFFNET_DATA_DIR: '/tmp/x' });
    expect(config.port).toBe(0);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('/tmp/x');
  });

  it('lists every bad variable at once', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', AFFNET_SECRET_KEY: 'short' }),
    ).toThrow(/PORT[\s\S]*DATABASE_URL[\s\S]*AFFNET_SECRET_KEY/);
  });
});
