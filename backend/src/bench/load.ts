// Drives an HTTP endpoint with autocannon on loopback, bounded in connections and time, and keeps every
// response time so percentiles are exact (autocannon's own summary has no p95).
import autocannon from 'autocannon';
import type { LoadFigures } from './result';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

export interface LoadOptions {
  seconds?: number;
  connections?: number;
  headers?: Record<string, string>;
  /** Stop after this many requests instead of after `seconds`. */
  amount?: number;
  /** Requests per second over all connections; as fast as answered when unset. */
  rate?: number;
  /** What to send (method, body per request); GET of `url` when unset. */
  requests?: autocannon.Request[];
}

export async function load(url: string, opts: LoadOptions = {}): Promise<LoadFigures> {
  const times: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: opts.connections ?? 10,
        ...(opts.amount ? { amount: opts.amount } : { duration: opts.seconds ?? 10 }),
        ...(opts.rate ? { overallRate: opts.rate } : {}),
        ...(opts.requests ? { requests: opts.requests } : {}),
        headers: opts.headers,
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      times.push(ms);
      if (status >= 400) errors++;
    });
  });
  times.sort((a, b) => a - b);
  return {
    requests: times.length,
    errors: errors + result.errors,
    rps: Math.round(result.requests.average),
    p50_ms: round(percentile(times, 50)),
    p95_ms: round(percentile(times, 95)),
    p99_ms: round(percentile(times, 99)),
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
