// Prometheus HTTP API client (instant and range queries, loaded rules) for any compatible backend:
// extra headers, bounded concurrency, per-call timeout, coalescing of identical in-flight calls and
// a short cache, and errors that name Prometheus and the cause.
import { ApiError, UpstreamError } from '../errors';

export interface PrometheusClientOptions {
  url: string;
  /** sent with every call, e.g. `X-Scope-OrgID` for Mimir */
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** calls in flight at once; more wait in line */
  concurrency?: number;
  /** how long an answer is reused for the same query and evaluation time */
  cacheTtlMs?: number;
  /** how long the list of loaded rules is reused */
  rulesTtlMs?: number;
}

export interface Sample {
  labels: Record<string, string>;
  value: number;
}
export interface Series {
  labels: Record<string, string>;
  /** [unix seconds, value] */
  points: [number, number][];
}

export interface RecordingRule {
  name: string;
  labels: Record<string, string>;
}

export type UnavailableCause = 'refused' | 'timeout' | 'http' | 'invalid_response';

/** Prometheus did not answer usefully: 503 upstream_unavailable. */
export class PrometheusUnavailableError extends UpstreamError {
  constructor(
    readonly url: string,
    readonly reason: UnavailableCause,
    detail: string,
  ) {
    super(`Prometheus at ${url}`, detail);
  }
}

/** Prometheus rejected the query itself (errorType bad_data): the SLO's selectors need fixing. */
export class PrometheusBadDataError extends ApiError {
  constructor(
    readonly url: string,
    readonly query: string,
    readonly prometheusMessage: string,
  ) {
    super(422, 'prometheus_bad_data', `Prometheus at ${url} rejected the query: ${prometheusMessage}`, [
      { field: 'indicator', message: `query ${query} is invalid: ${prometheusMessage}` },
    ]);
  }
}

interface ApiBody {
  status?: string;
  data?: unknown;
  errorType?: string;
  error?: string;
}

const parseValue = (v: string): number => (v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v));

/** A counting semaphore: at most `limit` holders, the rest queue in order. */
class Gate {
  private active = 0;
  private waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export class PrometheusClient {
  readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly cacheTtlMs: number;
  private readonly rulesTtlMs: number;
  private readonly gate: Gate;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  // Expiry uses the process's monotonic time, not the app clock: a pinned test clock must not
  // make cached answers immortal.
  private readonly cache = new Map<string, { expires: number; value: unknown }>();
  /** calls that reached Prometheus (not served by coalescing or the cache) */
  requests = 0;

  constructor(options: PrometheusClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.headers = options.headers ?? {};
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.gate = new Gate(options.concurrency ?? 8);
    this.cacheTtlMs = options.cacheTtlMs ?? 5_000;
    this.rulesTtlMs = options.rulesTtlMs ?? 30_000;
  }

  /** Instant query at `time`; a scalar answer comes back as one sample without labels. */
  async instant(query: string, time: Date): Promise<Sample[]> {
    const data = await this.call<{ resultType: string; result: unknown }>(
      '/api/v1/query',
      { query, time: seconds(time) },
      this.cacheTtlMs,
    );
    if (data.resultType === 'scalar') {
      const [, v] = data.result as [number, string];
      return [{ labels: {}, value: parseValue(v) }];
    }
    if (data.resultType !== 'vector')
      throw this.invalid(`expected a vector for ${query}, got ${data.resultType}`);
    return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map((r) => ({
      labels: r.metric,
      value: parseValue(r.value[1]),
    }));
  }

  /** Range query over [start, end] every `stepSeconds`. */
  async range(query: string, start: Date, end: Date, stepSeconds: number): Promise<Series[]> {
    const data = await this.call<{ resultType: string; result: unknown }>(
      '/api/v1/query_range',
      { query, start: seconds(start), end: seconds(end), step: String(stepSeconds) },
      this.cacheTtlMs,
    );
    if (data.resultType !== 'matrix')
      throw this.invalid(`expected a matrix for ${query}, got ${data.resultType}`);
    return (data.result as { metric: Record<string, string>; values: [number, string][] }[]).map((r) => ({
      labels: r.metric,
      points: r.values.map(([t, v]) => [t, parseValue(v)] as [number, number]),
    }));
  }

  /** The recording rules Prometheus has loaded: name and static labels of each. */
  async recordingRules(): Promise<RecordingRule[]> {
    const data = await this.call<{
      groups: { rules: { type: string; name: string; labels?: Record<string, string> }[] }[];
    }>('/api/v1/rules', { type: 'record' }, this.rulesTtlMs, 'GET');
    return data.groups.flatMap((g) =>
      g.rules.filter((r) => r.type === 'recording').map((r) => ({ name: r.name, labels: r.labels ?? {} })),
    );
  }

  /** Resolves when Prometheus answers a trivial query; throws PrometheusUnavailableError otherwise. */
  async check(): Promise<void> {
    await this.call('/api/v1/query', { query: '1' }, 0);
  }

  private call<T>(
    path: string,
    params: Record<string, string>,
    ttlMs: number,
    method: 'GET' | 'POST' = 'POST',
  ): Promise<T> {
    const key = `${path}?${new URLSearchParams(params).toString()}`;
    const now = performance.now();
    const cached = this.cache.get(key);
    if (cached && cached.expires > now) return Promise.resolve(cached.value as T);
    const pending = this.inFlight.get(key);
    if (pending) return pending as Promise<T>;
    const promise = this.gate
      .run(() => this.fetchApi<T>(path, params, method))
      .then((value) => {
        if (ttlMs > 0) this.remember(key, value, ttlMs);
        return value;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private remember(key: string, value: unknown, ttlMs: number): void {
    const now = performance.now();
    if (this.cache.size >= 5000) {
      for (const [k, entry] of this.cache) if (entry.expires <= now) this.cache.delete(k);
      if (this.cache.size >= 5000) this.cache.clear();
    }
    this.cache.set(key, { expires: now + ttlMs, value });
  }

  private async fetchApi<T>(
    path: string,
    params: Record<string, string>,
    method: 'GET' | 'POST',
  ): Promise<T> {
    const body = new URLSearchParams(params).toString();
    const target = method === 'GET' ? `${this.url}${path}?${body}` : `${this.url}${path}`;
    this.requests++;
    let res: Response;
    let text: string;
    try {
      res = await fetch(target, {
        method,
        headers: {
          ...this.headers,
          accept: 'application/json',
          ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: method === 'POST' ? body : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      throw this.transportError(err);
    }
    let parsed: ApiBody | undefined;
    try {
      parsed = JSON.parse(text) as ApiBody;
    } catch {
      parsed = undefined;
    }
    if (parsed?.status === 'success') return parsed.data as T;
    if (parsed?.errorType === 'bad_data')
      throw new PrometheusBadDataError(this.url, params.query ?? path, parsed.error ?? 'bad data');
    if (parsed?.status === 'error') {
      throw new PrometheusUnavailableError(
        this.url,
        'http',
        `HTTP ${res.status}, ${parsed.errorType ?? 'error'}: ${parsed.error ?? ''}`,
      );
    }
    if (!res.ok)
      throw new PrometheusUnavailableError(
        this.url,
        'http',
        `HTTP ${res.status} ${res.statusText}: ${text.slice(0, 200)}`,
      );
    throw this.invalid(`the answer to ${path} is not a Prometheus API response: ${text.slice(0, 200)}`);
  }

  private invalid(detail: string): PrometheusUnavailableError {
    return new PrometheusUnavailableError(this.url, 'invalid_response', detail);
  }

  private transportError(err: unknown): PrometheusUnavailableError {
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      return new PrometheusUnavailableError(
        this.url,
        'timeout',
        `no answer within ${this.timeoutMs} ms (timeout)`,
      );
    }
    const code = e.cause?.code;
    if (code === 'ECONNREFUSED')
      return new PrometheusUnavailableError(this.url, 'refused', 'connection refused');
    return new PrometheusUnavailableError(
      this.url,
      'refused',
      `cannot connect (${code ?? e.cause?.message ?? e.message ?? 'network error'})`,
    );
  }
}

function seconds(t: Date): string {
  return (t.getTime() / 1000).toFixed(3);
}
