// Prometheus HTTP API client (instant and range queries, loaded rules) for any compatible backend:
// extra headers, bounded concurrency, per-call timeout, coalescing of identical in-flight calls and
// a short cache, and errors that name Prometheus and the cause.
import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ApiError, UpstreamError } from '../errors';
import { withoutCredentials } from './credentials';

export interface PrometheusClientOptions {
  url: string;
  /** sent with every call, e.g. `X-Scope-OrgID` for Mimir */
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** calls in flight at once; more wait in line */
  concurrency?: number;
  /** slots on top of `concurrency` that only deploy-gate calls (the `gate` lane) may take */
  gateConcurrency?: number;
  /** how long an answer is reused for the same query and evaluation time */
  cacheTtlMs?: number;
  /** how long the list of loaded rules is reused */
  rulesTtlMs?: number;
  /** how long past that it is still answered, while a fresh one is read in the background */
  rulesStaleMs?: number;
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

/** A raw HTTP answer: status line and body text. */
interface HttpAnswer {
  status: number;
  statusText: string;
  text: string;
}

/** The call took longer than the client's timeout. */
class CallTimeout extends Error {}

/** A kept-alive connection turned out closed on reuse: the call is worth one more try. */
class StaleConnection extends Error {
  constructor(readonly code: string | undefined) {
    super(`kept-alive connection closed (${code})`);
  }
}

/**
 * Who a call is for. `gate` (deploy gates, which CI waits on) may take the slots kept for it as well
 * as the shared ones, so dashboards queueing heavy queries on the shared slots never make it wait.
 */
export type CallLane = 'shared' | 'gate';

type Slot = 'shared' | 'reserved';

/** Counting semaphores for the two lanes: shared slots for every call, reserved ones for gates; each queues in order. */
class Slots {
  private held: Record<Slot, number> = { shared: 0, reserved: 0 };
  private readonly waiting: Record<CallLane, ((slot: Slot) => void)[]> = { shared: [], gate: [] };
  constructor(private readonly limits: Record<Slot, number>) {}

  async run<T>(lane: CallLane, task: () => Promise<T>): Promise<T> {
    const slot = this.take(lane) ?? (await new Promise<Slot>((resolve) => this.waiting[lane].push(resolve)));
    try {
      return await task();
    } finally {
      this.held[slot]--;
      this.handOn();
    }
  }

  private take(lane: CallLane): Slot | null {
    for (const slot of lane === 'gate' ? (['reserved', 'shared'] as const) : (['shared'] as const)) {
      if (this.held[slot] < this.limits[slot]) {
        this.held[slot]++;
        return slot;
      }
    }
    return null;
  }

  /** A freed slot goes to a waiting gate call first (it may take either kind), then to a shared one. */
  private handOn(): void {
    for (const lane of ['gate', 'shared'] as const) {
      const next = this.waiting[lane][0];
      const slot = next && this.take(lane);
      if (slot) {
        this.waiting[lane].shift();
        next(slot);
        return;
      }
    }
  }
}

/** The queries the SLO evaluator sends, bound to one lane of a client. */
export interface PrometheusQueries {
  instant(query: string, time: Date): Promise<Sample[]>;
  range(query: string, start: Date, end: Date, stepSeconds: number): Promise<Series[]>;
  recordingRules(): Promise<RecordingRule[]>;
}

export class PrometheusClient {
  readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly cacheTtlMs: number;
  private readonly rulesTtlMs: number;
  private readonly rulesStaleMs: number;
  /** the rule list last read, and when (monotonic ms) */
  private rules?: { readAt: number; list: RecordingRule[] };
  private readonly slots: Slots;
  /**
   * Kept-alive connections, as many as calls may be in flight. Node's http module rather than fetch:
   * at dozens of calls per status, fetch's per-call cost (streams, header objects) took several times
   * the CPU of the call itself, CPU that Prometheus on the same machine needs.
   */
  private readonly agent: HttpAgent;
  private readonly target: {
    https: boolean;
    hostname: string;
    port: string;
    basePath: string;
    auth?: string;
  };
  private readonly inFlight = new Map<string, Promise<unknown>>();
  // Expiry uses the process's monotonic time, not the app clock: a pinned test clock must not
  // make cached answers immortal.
  private readonly cache = new Map<string, { expires: number; value: unknown }>();
  /** calls that reached Prometheus (not served by coalescing or the cache) */
  requests = 0;

  constructor(options: PrometheusClientOptions) {
    // user:password@ in the URL becomes basic auth, and stays out of every message that names the URL
    const { url: bare, authorization } = withoutCredentials(options.url);
    this.url = bare.replace(/\/+$/, '');
    this.headers = { ...(authorization ? { authorization } : {}), ...options.headers };
    this.timeoutMs = options.timeoutMs ?? 15_000;
    const concurrency = options.concurrency ?? 8;
    const gateConcurrency = options.gateConcurrency ?? 2;
    this.slots = new Slots({ shared: concurrency, reserved: gateConcurrency });
    const url = new URL(this.url);
    const https = url.protocol === 'https:';
    this.target = {
      https,
      // an IPv6 literal comes bracketed in URL.hostname; http.request wants it bare
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port,
      basePath: url.pathname.replace(/\/+$/, ''),
      // user:password@ in the URL is basic auth, as fetch and Prometheus's own clients take it
      auth: url.username
        ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
        : undefined,
    };
    const agentOptions = { keepAlive: true, maxSockets: concurrency + gateConcurrency };
    this.agent = https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.cacheTtlMs = options.cacheTtlMs ?? 5_000;
    this.rulesTtlMs = options.rulesTtlMs ?? 30_000;
    this.rulesStaleMs = options.rulesStaleMs ?? 300_000;
  }

  /** The evaluator's queries on `lane`: a gate's evaluator uses `gate`, everything else `shared`. */
  lane(lane: CallLane): PrometheusQueries {
    return {
      instant: (query, time) => this.instant(query, time, lane),
      range: (query, start, end, step) => this.range(query, start, end, step, lane),
      recordingRules: () => this.recordingRules(lane),
    };
  }

  /** Instant query at `time`; a scalar answer comes back as one sample without labels. */
  async instant(query: string, time: Date, lane: CallLane = 'shared'): Promise<Sample[]> {
    const data = await this.call<{ resultType: string; result: unknown }>(
      '/api/v1/query',
      { query, time: seconds(time) },
      this.cacheTtlMs,
      'POST',
      lane,
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
  async range(
    query: string,
    start: Date,
    end: Date,
    stepSeconds: number,
    lane: CallLane = 'shared',
  ): Promise<Series[]> {
    const data = await this.call<{ resultType: string; result: unknown }>(
      '/api/v1/query_range',
      { query, start: seconds(start), end: seconds(end), step: String(stepSeconds) },
      this.cacheTtlMs,
      'POST',
      lane,
    );
    if (data.resultType !== 'matrix')
      throw this.invalid(`expected a matrix for ${query}, got ${data.resultType}`);
    return (data.result as { metric: Record<string, string>; values: [number, string][] }[]).map((r) => ({
      labels: r.metric,
      points: r.values.map(([t, v]) => [t, parseValue(v)] as [number, number]),
    }));
  }

  /**
   * The recording rules Prometheus has loaded: name and static labels of each. Read again after
   * `rulesTtlMs`; until `rulesStaleMs` later the list at hand is answered at once while the new one is
   * read in the background, so a status never waits for the list (hundreds of kilobytes for a hundred
   * SLOs) after the first one: a change of the loaded rules shows one evaluation later.
   */
  async recordingRules(lane: CallLane = 'shared'): Promise<RecordingRule[]> {
    const age = this.rules ? performance.now() - this.rules.readAt : Infinity;
    if (age < this.rulesTtlMs) return this.rules!.list;
    const read = this.readRules(lane);
    if (age < this.rulesTtlMs + this.rulesStaleMs) {
      // a failed re-read leaves the list at hand until it is too old, then the caller sees the error
      read.catch(() => undefined);
      return this.rules!.list;
    }
    return read;
  }

  private async readRules(lane: CallLane): Promise<RecordingRule[]> {
    const readAt = performance.now();
    const data = await this.call<{
      groups: { rules: { type: string; name: string; labels?: Record<string, string> }[] }[];
    }>('/api/v1/rules', { type: 'record' }, 0, 'GET', lane);
    const list = data.groups.flatMap((g) =>
      g.rules.filter((r) => r.type === 'recording').map((r) => ({ name: r.name, labels: r.labels ?? {} })),
    );
    if (!this.rules || this.rules.readAt < readAt) this.rules = { readAt, list };
    return list;
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
    lane: CallLane = 'shared',
  ): Promise<T> {
    // JSON rather than the form encoding: identical calls are asked many times over, sent once
    const key = `${path}${JSON.stringify(params)}`;
    const now = performance.now();
    const cached = this.cache.get(key);
    if (cached && cached.expires > now) return Promise.resolve(cached.value as T);
    // in flight per lane: a gate call never waits for a shared call queued behind dashboards
    const flightKey = `${lane}\0${key}`;
    const pending = this.inFlight.get(flightKey);
    if (pending) return pending as Promise<T>;
    const promise = this.slots
      .run(lane, () => this.fetchApi<T>(path, params, method))
      .then((value) => {
        if (ttlMs > 0) this.remember(key, value, ttlMs);
        return value;
      })
      .finally(() => this.inFlight.delete(flightKey));
    this.inFlight.set(flightKey, promise);
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
    this.requests++;
    let res: HttpAnswer;
    try {
      res = await this.send(path, new URLSearchParams(params).toString(), method);
    } catch (err) {
      throw this.transportError(err);
    }
    let parsed: ApiBody | undefined;
    try {
      parsed = JSON.parse(res.text) as ApiBody;
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
    if (res.status < 200 || res.status >= 300)
      throw new PrometheusUnavailableError(
        this.url,
        'http',
        `HTTP ${res.status} ${res.statusText}: ${res.text.slice(0, 200)}`,
      );
    throw this.invalid(`the answer to ${path} is not a Prometheus API response: ${res.text.slice(0, 200)}`);
  }

  /**
   * One HTTP exchange on a kept-alive connection, the whole of it (connect to last byte) within the
   * timeout. A kept connection the server closed while it sat idle (a restarted Prometheus) fails on
   * its first reuse: the call goes once more, on a connection of its own (the pool may hold more such).
   */
  private async send(path: string, body: string, method: 'GET' | 'POST'): Promise<HttpAnswer> {
    try {
      return await this.exchange(path, body, method);
    } catch (err) {
      if (!(err instanceof StaleConnection)) throw err;
      return this.exchange(path, body, method, false);
    }
  }

  private exchange(
    path: string,
    body: string,
    method: 'GET' | 'POST',
    agent: HttpAgent | false = this.agent,
  ): Promise<HttpAnswer> {
    const { https, hostname, port, basePath } = this.target;
    const headers: Record<string, string | number> = {
      ...this.headers,
      accept: 'application/json',
      ...(method === 'POST'
        ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }
        : {}),
    };
    return new Promise<HttpAnswer>((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(
        {
          hostname,
          port,
          method,
          path: method === 'GET' ? `${basePath}${path}?${body}` : `${basePath}${path}`,
          headers,
          agent,
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', fail);
          res.on('end', () => {
            clearTimeout(timer);
            resolve({
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? '',
              text: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      const timer = setTimeout(() => {
        const timeout = new CallTimeout(`no answer within ${this.timeoutMs} ms`);
        req.destroy(timeout);
        reject(timeout);
      }, this.timeoutMs);
      function fail(err: unknown) {
        clearTimeout(timer);
        const code = (err as { code?: string }).code;
        const stale = req.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE');
        reject(stale ? new StaleConnection(code) : err);
      }
      req.on('error', fail);
      req.end(method === 'POST' ? body : undefined);
    });
  }

  private invalid(detail: string): PrometheusUnavailableError {
    return new PrometheusUnavailableError(this.url, 'invalid_response', detail);
  }

  private transportError(err: unknown): PrometheusUnavailableError {
    if (err instanceof CallTimeout)
      return new PrometheusUnavailableError(this.url, 'timeout', `${err.message} (timeout)`);
    const e = err as { code?: string; message?: string };
    if (e.code === 'ECONNREFUSED')
      return new PrometheusUnavailableError(this.url, 'refused', 'connection refused');
    return new PrometheusUnavailableError(
      this.url,
      'refused',
      `cannot connect (${e.code ?? e.message ?? 'network error'})`,
    );
  }
}

function seconds(t: Date): string {
  return (t.getTime() / 1000).toFixed(3);
}
