// The traffic simulator: each tick turns steady per-second rates into requests, ETL runs and page
// views, shaped by any injection in force, and records them in the demo metrics.
import { logNormal, type Clock, type RandomSource } from './clock';
import type { InjectionBook } from './injection';
import type { DemoMetrics } from './metrics';

export interface RouteProfile {
  route: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Share of the service's requests that hit this route. */
  weight: number;
  /** Median latency in seconds; sigma shapes the log-normal tail. */
  medianSeconds: number;
  sigma: number;
}

export interface ServiceProfile {
  service: string;
  requestsPerSecond: number;
  routes: RouteProfile[];
}

export interface PipelineProfile {
  pipeline: string;
  /** The pipeline delivers every interval; lag is the time since the last successful delivery. */
  intervalSeconds: number;
}

export interface PageProfile {
  page: string;
  viewsPerSecond: number;
  medianSeconds: number;
  sigma: number;
}

export interface TrafficProfile {
  tickSeconds: number;
  /** Background 5xx rate without injection; kept well under the 99.9 % objective's budget. */
  baseErrorRate: number;
  /** Share of requests answered 404: client errors that must not count against availability. */
  clientErrorRate: number;
  services: ServiceProfile[];
  pipelines: PipelineProfile[];
  pages: PageProfile[];
}

const read = (route: string, weight: number): RouteProfile => ({
  route,
  method: 'GET',
  weight,
  medianSeconds: 0.06,
  sigma: 0.7,
});
const write = (route: string, method: RouteProfile['method'], weight: number): RouteProfile => ({
  route,
  method,
  weight,
  medianSeconds: 0.15,
  sigma: 0.6,
});

/** Healthy by default: reads and writes meet the guide's latency targets, lag and LCP stay inside theirs. */
export const DEFAULT_PROFILE: TrafficProfile = {
  tickSeconds: 1,
  baseErrorRate: 0.0001,
  clientErrorRate: 0.005,
  services: [
    {
      service: 'api',
      requestsPerSecond: 40,
      routes: [read('/v1/items', 0.5), read('/v1/items/:id', 0.3), write('/v1/items', 'POST', 0.2)],
    },
    {
      service: 'checkout',
      requestsPerSecond: 10,
      routes: [read('/cart', 0.6), write('/checkout', 'POST', 0.3), write('/cart/:item', 'DELETE', 0.1)],
    },
  ],
  pipelines: [
    { pipeline: 'orders', intervalSeconds: 300 },
    { pipeline: 'billing', intervalSeconds: 600 },
  ],
  pages: [
    { page: 'home', viewsPerSecond: 4, medianSeconds: 1.3, sigma: 0.35 },
    { page: 'product', viewsPerSecond: 3, medianSeconds: 1.5, sigma: 0.35 },
    { page: 'checkout', viewsPerSecond: 1, medianSeconds: 1.6, sigma: 0.35 },
  ],
};

const successCode = (route: RouteProfile): string => (route.method === 'POST' ? '201' : '200');

export class TrafficSimulator {
  /** Fractional events carried to the next tick, so a rate of 2.5/s yields exactly 25 events in 10 ticks. */
  private readonly carry = new Map<string, number>();
  private readonly lastDelivery = new Map<string, number>();

  constructor(
    private readonly metrics: DemoMetrics,
    private readonly injections: InjectionBook,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    readonly profile: TrafficProfile = DEFAULT_PROFILE,
  ) {
    // Every status code a route can answer is exported from the start at zero, as Prometheus advises:
    // an error series that appears only with the first error leaves error ratios empty until then.
    for (const { service, routes } of profile.services) {
      for (const route of routes) {
        for (const code of [successCode(route), '404', '500', '503']) {
          metrics.requests.inc({ service, route: route.route, method: route.method, code }, 0);
        }
      }
    }
    const now = clock.now().getTime();
    for (const { pipeline } of profile.pipelines) {
      this.lastDelivery.set(pipeline, now);
      metrics.etlLag.set({ pipeline }, 0);
    }
  }

  /** Every name an injection may target. */
  targets(): { services: string[]; pipelines: string[]; pages: string[] } {
    return {
      services: this.profile.services.map((s) => s.service),
      pipelines: this.profile.pipelines.map((p) => p.pipeline),
      pages: this.profile.pages.map((p) => p.page),
    };
  }

  tick(): void {
    for (const service of this.profile.services) this.serve(service);
    for (const pipeline of this.profile.pipelines) this.deliver(pipeline);
    for (const page of this.profile.pages) this.view(page);
  }

  private events(key: string, perSecond: number): number {
    const due = (this.carry.get(key) ?? 0) + perSecond * this.profile.tickSeconds;
    const whole = Math.floor(due + 1e-9);
    this.carry.set(key, due - whole);
    return whole;
  }

  private serve({ service, requestsPerSecond, routes }: ServiceProfile): void {
    const injection = this.injections.active(service);
    const errorRate = Math.max(this.profile.baseErrorRate, injection?.errorRate ?? 0);
    const addedSeconds = (injection?.latencyMs ?? 0) / 1000;
    for (const route of routes) {
      const count = this.events(
        `${service} ${route.method} ${route.route}`,
        requestsPerSecond * route.weight,
      );
      const labels = { service, route: route.route, method: route.method };
      for (let i = 0; i < count; i++) {
        const seconds = logNormal(this.random, route.medianSeconds, route.sigma) + addedSeconds;
        this.metrics.requestDuration.observe(labels, seconds);
        this.metrics.requests.inc({ ...labels, code: this.statusCode(route, errorRate) });
      }
    }
  }

  private statusCode(route: RouteProfile, errorRate: number): string {
    const draw = this.random();
    if (draw < errorRate) return draw < errorRate * 0.8 ? '500' : '503';
    if (draw < errorRate + this.profile.clientErrorRate) return '404';
    return successCode(route);
  }

  /** A run that fails (injected error rate) leaves the last delivery in place, so the lag keeps growing. */
  private deliver({ pipeline, intervalSeconds }: PipelineProfile): void {
    const now = this.clock.now().getTime();
    const injection = this.injections.active(pipeline);
    const last = this.lastDelivery.get(pipeline) ?? now;
    if (now - last >= intervalSeconds * 1000 && this.random() >= (injection?.errorRate ?? 0)) {
      this.lastDelivery.set(pipeline, now);
    }
    const lag = (now - (this.lastDelivery.get(pipeline) ?? now)) / 1000 + (injection?.latencyMs ?? 0) / 1000;
    this.metrics.etlLag.set({ pipeline }, lag);
  }

  private view({ page, viewsPerSecond, medianSeconds, sigma }: PageProfile): void {
    const addedSeconds = (this.injections.active(page)?.latencyMs ?? 0) / 1000;
    const count = this.events(`page ${page}`, viewsPerSecond);
    for (let i = 0; i < count; i++) {
      this.metrics.lcp.observe({ page }, logNormal(this.random, medianSeconds, sigma) + addedSeconds);
    }
  }
}
