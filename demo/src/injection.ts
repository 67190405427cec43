// Fault injection: per-target error rate and added latency that expire on their own.
import { z } from 'zod';
import type { Clock } from './clock';

export const InjectionRequest = z.strictObject({
  service: z.string().min(1).max(100).default('api').describe('a service, pipeline or page of the demo'),
  errorRate: z.number().min(0).max(1).default(0).describe('fraction of requests (or ETL runs) that fail'),
  latencyMs: z
    .number()
    .min(0)
    .max(120_000)
    .default(0)
    .describe('added to every request, run lag or page load'),
  durationSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(600),
});
export type InjectionRequest = z.input<typeof InjectionRequest>;

export interface Injection {
  service: string;
  errorRate: number;
  latencyMs: number;
  startedAt: string;
  endsAt: string;
}

export class InjectionBook {
  private readonly byTarget = new Map<string, Injection>();

  constructor(private readonly clock: Clock) {}

  /** Replaces any injection on the same target: the newest instruction wins. */
  set(request: z.output<typeof InjectionRequest>): Injection {
    const now = this.clock.now();
    const injection: Injection = {
      service: request.service,
      errorRate: request.errorRate,
      latencyMs: request.latencyMs,
      startedAt: now.toISOString(),
      endsAt: new Date(now.getTime() + request.durationSeconds * 1000).toISOString(),
    };
    this.byTarget.set(request.service, injection);
    return injection;
  }

  /** The injection in force on a target now, if any. */
  active(target: string): Injection | undefined {
    const injection = this.byTarget.get(target);
    if (!injection) return undefined;
    if (Date.parse(injection.endsAt) <= this.clock.now().getTime()) {
      this.byTarget.delete(target);
      return undefined;
    }
    return injection;
  }

  list(): Injection[] {
    return [...this.byTarget.keys()].flatMap((target) => this.active(target) ?? []);
  }

  /** Clears one target, or all when none is named; returns how many were cleared. */
  clear(target?: string): number {
    if (target !== undefined) return this.byTarget.delete(target) ? 1 : 0;
    const count = this.byTarget.size;
    this.byTarget.clear();
    return count;
  }
}
