// Loads data for a page and reloads on demand; errors arrive as ApiError for ErrorAlert.
import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiError, toApiError } from '../api/client';

export interface Loaded<T> {
  value?: T;
  error?: ApiError;
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ value?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const call = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (value) => call === latest.current && setState({ value, loading: false }),
      (err: unknown) => call === latest.current && setState({ error: toApiError(err), loading: false }),
    );
    // The caller's deps decide when to reload; the loader itself changes identity on every render.
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
