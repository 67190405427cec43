// Configuration from the environment, validated once at start-up.
import { z } from 'zod';

const Role = z.enum(['viewer', 'editor', 'admin']);
export type Role = z.infer<typeof Role>;

export interface TokenConfig {
  name: string;
  role: Role;
  secret: string;
  /** Grafana's proxy token: only its requests may name the acting user (X-Grafana-User, X-Grafana-Context). */
  grafanaProxy: boolean;
}

/** The last field of an OPSDECK_TOKENS entry that marks Grafana's proxy token. */
const GRAFANA_PROXY_FLAG = 'grafana-proxy';

const csv = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

const Tokens = z
  .string()
  .default('')
  .transform((s, ctx): TokenConfig[] =>
    csv(s).flatMap((entry, i) => {
      const [name, role, ...rest] = entry.split(':');
      // A secret may hold colons; only a last field that is exactly the flag marks the proxy token.
      const grafanaProxy = rest.length > 1 && rest[rest.length - 1] === GRAFANA_PROXY_FLAG;
      const secret = (grafanaProxy ? rest.slice(0, -1) : rest).join(':');
      const parsedRole = Role.safeParse(role);
      if (!name || !secret || !parsedRole.success) {
        ctx.addIssue({
          code: 'custom',
          message: `entry ${i + 1} must be name:role:secret[:${GRAFANA_PROXY_FLAG}] with role viewer, editor or admin`,
        });
        return [];
      }
      if (secret.length < 8) {
        ctx.addIssue({
          code: 'custom',
          message: `entry ${i + 1} (${name}): secret must be at least 8 characters`,
        });
        return [];
      }
      return [{ name, role: parsedRole.data, secret, grafanaProxy }];
    }),
  );

const Headers = z
  .string()
  .default('')
  .transform((s, ctx) => {
    const out: Record<string, string> = {};
    for (const part of csv(s)) {
      const i = part.indexOf(':');
      if (i <= 0) {
        ctx.addIssue({ code: 'custom', message: `"${part}" must be Name: value` });
        continue;
      }
      out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
    }
    return out;
  });

/** Addresses only this machine can reach; anything else needs tokens or an explicit opt-in. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\./.test(h);
}

const Flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const ConfigFields = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/opsdeck.db')
    .refine((s) => /^sqlite:.+/.test(s) || /^postgres(ql)?:\/\//.test(s), 'use sqlite:PATH or postgres://…'),
  PROMETHEUS_URL: HttpUrl.default('http://127.0.0.1:9090'),
  PROMETHEUS_HEADERS: Headers,
  PROMETHEUS_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  ALERTMANAGER_URLS: z.string().default('').transform(csv).pipe(z.array(HttpUrl)),
  GRAFANA_URL: z.union([z.literal(''), HttpUrl]).default(''),
  GRAFANA_TOKEN: z.string().default(''),
  // Silencer: cycle interval, and how far ahead silences are placed so Alertmanager already holds
  // them if opsdeck is down when a window opens; each Alertmanager request gives up after the timeout.
  SILENCER_INTERVAL_SECONDS: z.coerce.number().min(0.05).max(3600).default(10),
  SILENCER_LOOKAHEAD_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 14)
    .default(24 * 60),
  ALERTMANAGER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  OPSDECK_TOKENS: Tokens,
  // Serving without tokens on a non-loopback HOST (an anonymous admin API) only when asked for by name.
  OPSDECK_ALLOW_ANONYMOUS: Flag,
  OPSDECK_PROVISIONING_DIR: z.string().default('./provisioning'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  // Requests per minute per bearer token (0 turns limiting off); health, metrics and docs are exempt.
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(1200),
});

export const ConfigSchema = ConfigFields.superRefine((c, ctx) => {
  if (c.OPSDECK_TOKENS.length === 0 && !isLoopbackHost(c.HOST) && !c.OPSDECK_ALLOW_ANONYMOUS) {
    ctx.addIssue({
      code: 'custom',
      path: ['OPSDECK_TOKENS'],
      message: `is empty while HOST=${c.HOST} is reachable from other machines, which would serve an anonymous admin API: set OPSDECK_TOKENS=name:role:secret,… (or OPSDECK_ALLOW_ANONYMOUS=true to accept that on purpose)`,
    });
  }
});
export type Config = z.output<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment; a bad value throws one line naming the variable and the fix. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = ConfigSchema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`invalid configuration: ${name}: ${issue.message}`);
  }
  return result.data;
}
