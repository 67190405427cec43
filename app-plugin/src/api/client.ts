// The app's client for the opsdeck API: every call goes through Grafana's plugin proxy
// (getBackendSrv().fetch), and every failure becomes an ApiError carrying the backend's
// {error, message, details} so pages can show exactly what the backend said.
import { getBackendSrv, type FetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { PROXY_BASE } from '../constants';

export interface ErrorDetail {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** the answer's body as received, for callers that read more than the message */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** 'text' for YAML and markdown answers */
  responseType?: 'json' | 'text';
}

function withQuery(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Reads the backend's error body, or says what Grafana's proxy answered when the backend did not. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const fetchError = err as Partial<FetchError>;
  const status = typeof fetchError?.status === 'number' ? fetchError.status : 0;
  const data = fetchError?.data as
    { error?: unknown; message?: unknown; details?: unknown } | string | undefined;
  if (data && typeof data === 'object' && typeof data.message === 'string') {
    const details = Array.isArray(data.details)
      ? data.details
          .filter((d): d is ErrorDetail => typeof d?.field === 'string' && typeof d?.message === 'string')
          .map((d) => ({ field: d.field, message: d.message }))
      : [];
    const code = typeof data.error === 'string' ? data.error : proxyCode(status);
    return new ApiError(
      status,
      code,
      typeof data.error === 'string' ? data.message : proxyMessage(status, data.message),
      details,
      data,
    );
  }
  if (status === 0)
    return new ApiError(
      0,
      'network',
      `The request did not reach Grafana: ${(err as Error)?.message ?? String(err)}`,
    );
  return new ApiError(
    status,
    proxyCode(status),
    proxyMessage(status, typeof data === 'string' && data ? data.slice(0, 300) : undefined),
    [],
    data,
  );
}

const proxyCode = (status: number) =>
  status === 502 || status === 504 ? 'backend_unreachable' : `http_${status}`;

function proxyMessage(status: number, said?: string): string {
  if (status === 502 || status === 504)
    return 'The opsdeck backend does not answer: check the backend URL on the app configuration page.';
  if (status === 403)
    return `Grafana refused the request (HTTP 403): your role may not change this${said ? ` — ${said}` : ''}.`;
  // Grafana's own 404s (pkg/api/pluginproxy/pluginproxy.go, pkg/api/plugin_proxy.go), not the backend's.
  if (status === 404 && said === 'plugin route match not found')
    return "Grafana has no app proxy route for this call: restart Grafana after installing this version of the app (it reads plugin.json's routes at start).";
  if (status === 404 && said?.startsWith('Plugin not found'))
    return 'Grafana does not know the opsdeck app: is it installed and enabled in this org?';
  return `HTTP ${status}${said ? `: ${said}` : ''}`;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({
        method,
        url: withQuery(`${PROXY_BASE}${path}`, opts.query),
        data: opts.body,
        responseType: opts.responseType,
        // Pages show errors themselves, in place, with the backend's details.
        showErrorAlert: false,
        showSuccessAlert: false,
      }),
    );
    return response.data;
  } catch (err) {
    throw toApiError(err);
  }
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  text: (path: string, query?: Query) => request<string>('GET', path, { query, responseType: 'text' }),
  post: <T>(path: string, body: unknown = {}, query?: Query) => request<T>('POST', path, { body, query }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
