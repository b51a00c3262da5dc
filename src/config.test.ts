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
      smtpUrl: undefined,
      emailFrom: 'affnet <no-reply@affnet.localhost>',
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

  it('takes an smtp:// or smtps:// SMTP_URL and refuses any other', () => {
    const url = 'smtps://user:pass@mail.example:465';
    expect(loadConfig({ SMTP_URL: url }).smtpUrl).toBe(url);
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example' })).toThrow(
      /SMTP_URL: must start with smtp:\/\/ or smtps:\/\//,
    );
  });
});
