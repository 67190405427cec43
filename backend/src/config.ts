// Configuration from the environment, validated once at start-up.
import { z } from 'zod';
import {
  DEFAULT_ESCALATION_LADDER,
  DEFAULT_PAGE_SEVERITIES,
  type EscalationLadder,
  type PageSeverityMap,
  SEVERITIES,
  type Severity,
  escalationLadderProblem,
} from '@opsdeck/common';

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

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

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
  // Alertmanager webhook in: which severity label values page (S1–S4 are always taken as they are).
  ALERTMANAGER_PAGE_SEVERITIES: PageSeverities,
  // Escalation alerts out: how often they are re-sent, and when an unacknowledged page climbs.
  ESCALATION_INTERVAL_SECONDS: z.coerce.number().min(0.05).max(3600).default(30),
  ESCALATION_LADDER_MINUTES: Ladder,
  // The app's base URL in Grafana, for the links in escalation alerts.
  OPSDECK_APP_URL: HttpUrl.default('http://localhost:3000/a/opsdeck-sre-app'),
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
