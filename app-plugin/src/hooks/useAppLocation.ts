// The current URL as the app's router sees it, following Grafana's locationService history.
import { locationService } from '@grafana/runtime';
import { useEffect, useState } from 'react';

export interface AppLocation {
  pathname: string;
  search: URLSearchParams;
}

const read = (): AppLocation => {
  const loc = locationService.getLocation();
  return { pathname: loc.pathname, search: new URLSearchParams(loc.search) };
};

export function useAppLocation(): AppLocation {
  const [location, setLocation] = useState(read);
  useEffect(() => locationService.getHistory().listen(() => setLocation(read())), []);
  return location;
}

/** Navigates inside Grafana (no page load). */
export const navigate = (url: string) => locationService.push(url);

/** Sets or clears query parameters of the current URL, e.g. the open runbook. */
export const setQuery = (params: Record<string, string | null>) => locationService.partial(params);
