// Configuration from the environment, validated once at start-up.
import { z } from 'zod';
import {
  DEFAULT_APP_URL,
  DEFAULT_ESCALATION_LADDER,
  DEFAULT_PAGE_SEVERITIES,
  type EscalationLadder,
  type PageSeverityMap,
  SEVERITIES,
  SRE_APP_PATH,
  type Severity,
  Url as HttpUrl,
  escalationLadderProblem,
} from '@opsdeck/common';

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

/** `value:S1,value:S2,…`: severity label values that page, on top of S1–S4 taken as they are. */
const PageSeverities = z
  .string()
  .default('')
  .transform((s, ctx): PageSeverityMap => {
    if (!s.trim()) return DEFAULT_PAGE_SEVERITIES;
    const out: Record<string, Severity> = {};
    for (const part of csv(s)) {
      const i = part.lastIndexOf(':');
      const value = part.slice(0, i).trim();
      const severity = part.slice(i + 1).trim() as Severity;
      if (i <= 0 || !SEVERITIES.includes(severity)) {
        ctx.addIssue({ code: 'custom', message: `"${part}" must be label-value:S1 (S1, S2, S3 or S4)` });
        continue;
      }
      out[value] = severity;
    }
    return out;
  });

/** `L2,EM,Director` minutes after the page, e.g. 10,20,30. */
const Ladder = z
  .string()
  .default('')
  .transform((s, ctx): EscalationLadder => {
    if (!s.trim()) return DEFAULT_ESCALATION_LADDER;
    const minutes = csv(s).map(Number);
    if (minutes.length !== 3) {
      ctx.addIssue({
        code: 'custom',
        message: 'give three numbers of minutes after the page: L2,EM,Director',
      });
      return DEFAULT_ESCALATION_LADDER;
    }
    const ladder = { L2: minutes[0]!, EM: minutes[1]!, Director: minutes[2]! };
    const problem = escalationLadderProblem(ladder);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
    return ladder;
  });

const Flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

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
  // Prometheus calls in flight at once, and slots kept apart for deploy gates on top of them, so
  // that dashboards queueing heavy queries cannot make a gate wait.
  PROMETHEUS_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  PROMETHEUS_GATE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  // Budget of one POST /query: the points its SLO targets ask for (targets × SLOs × steps).
  QUERY_MAX_POINTS: z.coerce.number().int().min(1).max(100_000_000).default(100_000),
  ALERTMANAGER_URLS: z.string().default('').transform(csv).pipe(z.array(HttpUrl)),
  GRAFANA_URL: z.union([z.literal(''), HttpUrl]).default(''),
  GRAFANA_TOKEN: z.string().default(''),
  // The opsdeck app's URL in Grafana, linked from generated alerts (runbook_url of SLOs without one);
  // empty: GRAFANA_URL (or Grafana's default http://localhost:3000) followed by the app's path.
  OPSDECK_APP_URL: z.union([z.literal(''), HttpUrl]).default(''),
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
  // Alertmanager webhook in: which severity label values page (S1–S4 are always taken as they are).
  ALERTMANAGER_PAGE_SEVERITIES: PageSeverities,
  // Escalation alerts out: how often they are re-sent, and when an unacknowledged page climbs.
  ESCALATION_INTERVAL_SECONDS: z.coerce.number().min(0.05).max(3600).default(30),
  ESCALATION_LADDER_MINUTES: Ladder,
  // Marks this installation's silences; unset, an id made at first start and kept in the store.
  OPSDECK_INSTANCE_ID: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
      'use up to 63 letters, digits, ".", "_" and "-", e.g. prod-eu (it goes into silence comments)',
    )
    .optional(),
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

/** OPSDECK_APP_URL, or the app's path under GRAFANA_URL (Grafana's default address when that is empty too). */
export function appUrlOf(config: Pick<Config, 'OPSDECK_APP_URL' | 'GRAFANA_URL'>): string {
  if (config.OPSDECK_APP_URL) return config.OPSDECK_APP_URL.replace(/\/+$/, '');
  return config.GRAFANA_URL ? `${config.GRAFANA_URL.replace(/\/+$/, '')}${SRE_APP_PATH}` : DEFAULT_APP_URL;
}

/** Parses the environment with `schema`; a bad value throws one line naming the variable and the fix. */
function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`invalid configuration: ${name}: ${issue.message}`);
  }
  return result.data;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return parseEnv(ConfigSchema, env);
}

/** The app URL alone from the environment (for commands that need no other configuration). */
export function appUrlFromEnv(env: Record<string, string | undefined>): string {
  return appUrlOf(parseEnv(ConfigFields.pick({ OPSDECK_APP_URL: true, GRAFANA_URL: true }), env));
}
