// Configuration from the environment, validated once at start-up.
import { z } from 'zod';
import { Url as HttpUrl } from '@opsdeck/common';

const Role = z.enum(['viewer', 'editor', 'admin']);
export type Role = z.infer<typeof Role>;

export interface TokenConfig {
  name: string;
  role: Role;
  secret: string;
}

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
      const secret = rest.join(':');
      const parsedRole = Role.safeParse(role);
      if (!name || !secret || !parsedRole.success) {
        ctx.addIssue({
          code: 'custom',
          message: `entry ${i + 1} must be name:role:secret with role viewer, editor or admin`,
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
      return [{ name, role: parsedRole.data, secret }];
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

export const ConfigSchema = z.object({
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
  // Marks this installation's silences; unset, an id made at first start and kept in the store.
  OPSDECK_INSTANCE_ID: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
      'use up to 63 letters, digits, ".", "_" and "-", e.g. prod-eu (it goes into silence comments)',
    )
    .optional(),
  OPSDECK_TOKENS: Tokens,
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
