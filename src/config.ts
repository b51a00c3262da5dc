import path from 'node:path';
import { z } from 'zod';

const postgresUrl = z
  .string()
  .refine(
    (value) => /^postgres(ql)?:\/\//.test(value),
    'must start with postgres:// or postgresql://',
  );

/** Every environment variable affnet reads; `.env.example` documents each one. */
const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  AFFNET_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: postgresUrl.optional(),
  AFFNET_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64 (44 characters)')
    .optional(),
  AFFNET_PUBLIC_URL: z.url().optional(),
  /** The request header that carries the visitor's country (set by a CDN or proxy). */
  AFFNET_COUNTRY_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/)
    .transform((h) => h.toLowerCase())
    .default('cf-ipcountry'),
  /** Behind a proxy you run: take the visitor's address from X-Forwarded-For. */
  AFFNET_TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** The merchant events signing secret; two, comma-separated, while rotating (new first). */
  AFFNET_MERCHANT_SECRET: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()))
    .pipe(z.array(z.string().min(16, 'each secret needs at least 16 characters')).min(1).max(2))
    .optional(),
  /** Where emails go out, e.g. smtp://user:pass@host:587; unset: .eml files in the data directory. */
  SMTP_URL: z
    .string()
    .refine((value) => /^smtps?:\/\//.test(value), 'must start with smtp:// or smtps://')
    .optional(),
  AFFNET_EMAIL_FROM: z.string().min(1).default('affnet <no-reply@affnet.localhost>'),
  /** Open API calls per second per app_key (bursts of twice as many). */
  AFFNET_OPEN_API_RATE: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Let webhooks and postbacks reach private addresses (a receiver on this machine or network). */
  AFFNET_WEBHOOKS_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Readonly<{
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  secretKeyBase64: string | undefined;
  publicUrl: string | undefined;
  countryHeader: string;
  trustProxy: boolean;
  merchantSecrets: readonly string[] | undefined;
  smtpUrl: string | undefined;
  emailFrom: string;
  openApiCallsPerSecond: number;
  webhooksAllowPrivate: boolean;
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
}>;

/** Parses the environment once; throws a readable error listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return Object.freeze({
    port: c.PORT,
    host: c.HOST,
    dataDir: path.resolve(c.AFFNET_DATA_DIR),
    databaseUrl: c.DATABASE_URL,
    secretKeyBase64: c.AFFNET_SECRET_KEY,
    publicUrl: c.AFFNET_PUBLIC_URL,
    countryHeader: c.AFFNET_COUNTRY_HEADER,
    trustProxy: c.AFFNET_TRUST_PROXY,
    merchantSecrets: c.AFFNET_MERCHANT_SECRET,
    smtpUrl: c.SMTP_URL,
    emailFrom: c.AFFNET_EMAIL_FROM,
    openApiCallsPerSecond: c.AFFNET_OPEN_API_RATE,
    webhooksAllowPrivate: c.AFFNET_WEBHOOKS_ALLOW_PRIVATE,
    logLevel: c.LOG_LEVEL,
  });
}

// An empty variable in a .env file means "not set", not "set to the empty string".
function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env))
    if (value !== undefined && value !== '') out[key] = value;
  return out;
}

/** The address links are printed with: AFFNET_PUBLIC_URL, else this machine on PORT. */
export function publicBaseUrl(config: Pick<Config, 'publicUrl' | 'port'>): string {
  return (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
}
