// Alertmanager v2 silences API client (also Grafana-managed alerting, which serves the same API
// under /api/alertmanager/grafana/api/v2 behind a bearer token). Every request has a timeout.
import type { Matcher } from '@opsdeck/common';

export interface AmMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

export interface AmSilence {
  id: string;
  status: { state: 'active' | 'pending' | 'expired' };
  updatedAt: string;
  comment: string;
  createdBy: string;
  startsAt: string;
  endsAt: string;
  matchers: AmMatcher[];
}

export interface NewSilence {
  matchers: AmMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** One place the silencer manages silences in. */
export interface SilenceTarget {
  /** As windows name it: the Alertmanager base URL from ALERTMANAGER_URLS, or "grafana". */
  name: string;
  /** Base of the v2 API, e.g. http://am:9093/api/v2 */
  apiUrl: string;
  headers: Record<string, string>;
}

export class AlertmanagerError extends Error {
  constructor(
    readonly target: string,
    message: string,
  ) {
    super(`${target}: ${message}`);
  }
}

export function toAmMatcher(m: Matcher): AmMatcher {
  return {
    name: m.name,
    value: m.value,
    isRegex: m.op === '=~' || m.op === '!~',
    isEqual: m.op === '=' || m.op === '=~',
  };
}

/** Targets from configuration: each Alertmanager URL, plus Grafana when GRAFANA_URL is set. */
export function configuredTargets(config: {
  ALERTMANAGER_URLS: string[];
  GRAFANA_URL: string;
  GRAFANA_TOKEN: string;
}): SilenceTarget[] {
  const targets: SilenceTarget[] = config.ALERTMANAGER_URLS.map((url) => ({
    name: url,
    apiUrl: `${url.replace(/\/+$/, '')}/api/v2`,
    headers: {},
  }));
  if (config.GRAFANA_URL) {
    targets.push({
      name: 'grafana',
      apiUrl: `${config.GRAFANA_URL.replace(/\/+$/, '')}/api/alertmanager/grafana/api/v2`,
      headers: config.GRAFANA_TOKEN ? { authorization: `Bearer ${config.GRAFANA_TOKEN}` } : {},
    });
  }
  return targets;
}

export class AlertmanagerClient {
  constructor(
    readonly target: SilenceTarget,
    private readonly timeoutMs: number,
  ) {}

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.target.apiUrl}${path}`, {
        method,
        headers: {
          ...this.target.headers,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const reason =
        e.name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs} ms`
          : (e.cause?.code ?? e.cause?.message ?? e.message);
      throw new AlertmanagerError(this.target.name, `${method} ${path} failed: ${reason}`);
    }
    const text = await res.text();
    if (!res.ok) {
      throw new AlertmanagerError(
        this.target.name,
        `${method} ${path} answered ${res.status}: ${text.slice(0, 300).trim()}`,
      );
    }
    return text ? JSON.parse(text) : undefined;
  }

  async listSilences(): Promise<AmSilence[]> {
    return (await this.request('GET', '/silences')) as AmSilence[];
  }

  /** Creates a silence and returns its id. */
  async createSilence(silence: NewSilence): Promise<string> {
    const res = (await this.request('POST', '/silences', silence)) as { silenceID?: string; id?: string };
    const id = res?.silenceID ?? res?.id;
    if (!id) throw new AlertmanagerError(this.target.name, 'POST /silences answered without a silence id');
    return id;
  }

  async expireSilence(id: string): Promise<void> {
    await this.request('DELETE', `/silence/${encodeURIComponent(id)}`);
  }
}
