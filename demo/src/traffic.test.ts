// The simulator against a fixed clock and seeded randomness: steady rates, and injections that move
// exactly the series they target.
import type { Histogram } from 'prom-client';
import { seededRandom, type Clock } from './clock';
import { InjectionBook } from './injection';
import { createDemoMetrics, type DemoMetrics } from './metrics';
import { DEFAULT_PROFILE, TrafficSimulator, type TrafficProfile } from './traffic';

class ManualClock implements Clock {
  constructor(private ms = Date.parse('2026-01-05T10:00:00Z')) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

const quiet: TrafficProfile = { ...DEFAULT_PROFILE, baseErrorRate: 0, clientErrorRate: 0 };

function setup(profile: TrafficProfile = quiet) {
  const clock = new ManualClock();
  const metrics = createDemoMetrics();
  const injections = new InjectionBook(clock);
  const simulator = new TrafficSimulator(metrics, injections, clock, seededRandom(42), profile);
  const run = (ticks: number) => {
    for (let i = 0; i < ticks; i++) {
      simulator.tick();
      clock.advance(profile.tickSeconds);
    }
  };
  return { clock, metrics, injections, simulator, run };
}

async function requests(metrics: DemoMetrics, service: string, codeClass?: string): Promise<number> {
  const { values } = await metrics.requests.get();
  return values
    .filter(
      (v) => v.labels.service === service && (!codeClass || String(v.labels.code).startsWith(codeClass)),
    )
    .reduce((sum, v) => sum + v.value, 0);
}

/** Observations of a histogram under `le` for the labels matched, and its total count. */
async function bucket(histogram: Histogram<string>, match: Record<string, string>, le: number) {
  const { values } = await histogram.get();
  const matches = (labels: Record<string, unknown>) =>
    Object.entries(match).every(([k, v]) => labels[k] === v);
  const sum = (name: string, extra: (l: Record<string, unknown>) => boolean) =>
    values
      .filter((v) => v.metricName === name && matches(v.labels) && extra(v.labels))
      .reduce((s, v) => s + v.value, 0);
  return {
    good: sum(`${histogram.name}_bucket`, (l) => l.le === le),
    total: sum(`${histogram.name}_count`, () => true),
  };
}

describe('TrafficSimulator', () => {
  it('generates each service at its steady rate per tick, fractional rates carried over', async () => {
    const { metrics, run } = setup();
    run(60);
    for (const service of quiet.services) {
      const expected = service.routes.reduce(
        (sum, r) => sum + Math.floor(service.requestsPerSecond * r.weight * 60 + 1e-9),
        0,
      );
      expect(await requests(metrics, service.service)).toBe(expected);
    }
    const views = await bucket(metrics.lcp as Histogram<string>, { page: 'home' }, 10);
    expect(views.total).toBe(4 * 60);
  });

  it('serves no 5xx and meets the read latency target without injection', async () => {
    const { metrics, run } = setup();
    run(120);
    expect(await requests(metrics, 'api', '5')).toBe(0);
    const reads = await bucket(
      metrics.requestDuration as Histogram<string>,
      { service: 'api', method: 'GET' },
      0.5,
    );
    expect(reads.good / reads.total).toBeGreaterThan(0.95);
  });

  it('an error-rate injection turns that share of one service into 5xx, and only that service', async () => {
    const { metrics, injections, run } = setup();
    injections.set({ service: 'api', errorRate: 0.2, latencyMs: 0, durationSeconds: 600 });
    run(300);
    const total = await requests(metrics, 'api');
    const errors = await requests(metrics, 'api', '5');
    expect(errors / total).toBeGreaterThan(0.18);
    expect(errors / total).toBeLessThan(0.22);
    expect(await requests(metrics, 'checkout', '5')).toBe(0);
  });

  it('an injection expires by the clock, after which errors stop', async () => {
    const { metrics, injections, run } = setup();
    injections.set({ service: 'checkout', errorRate: 1, latencyMs: 0, durationSeconds: 30 });
    run(30);
    const during = await requests(metrics, 'checkout', '5');
    expect(during).toBe(await requests(metrics, 'checkout'));
    expect(injections.list()).toEqual([]);
    run(30);
    expect(await requests(metrics, 'checkout', '5')).toBe(during);
  });

  it('a latency injection pushes requests past the buckets that held them', async () => {
    const { metrics, injections, run } = setup();
    run(60);
    const before = await bucket(
      metrics.requestDuration as Histogram<string>,
      { service: 'api', method: 'POST' },
      0.8,
    );
    injections.set({ service: 'api', errorRate: 0, latencyMs: 1000, durationSeconds: 60 });
    run(60);
    const after = await bucket(
      metrics.requestDuration as Histogram<string>,
      { service: 'api', method: 'POST' },
      0.8,
    );
    expect(after.total - before.total).toBe(before.total);
    // +1 s puts every new write above the 0.8 s bucket.
    expect(after.good).toBe(before.good);
  });

  it('ETL lag follows the delivery interval and grows while runs fail', async () => {
    const { metrics, injections, run } = setup();
    const lag = async (pipeline: string) =>
      (await metrics.etlLag.get()).values.find((v) => v.labels.pipeline === pipeline)?.value;
    run(301);
    expect(await lag('orders')).toBe(0);
    run(100);
    expect(await lag('orders')).toBe(100);
    injections.set({ service: 'orders', errorRate: 1, latencyMs: 0, durationSeconds: 3600 });
    run(900);
    expect(await lag('orders')).toBe(1000);
  });

  it('an LCP injection slows one page past the 2.5 s target', async () => {
    const { metrics, injections, run } = setup();
    injections.set({ service: 'product', errorRate: 0, latencyMs: 3000, durationSeconds: 600 });
    run(60);
    const product = await bucket(metrics.lcp as Histogram<string>, { page: 'product' }, 2.5);
    const home = await bucket(metrics.lcp as Histogram<string>, { page: 'home' }, 2.5);
    expect(product.good).toBe(0);
    expect(home.good / home.total).toBeGreaterThan(0.9);
  });
});
