// How the pages write ratios, ages and times: one place, so every page reads the same.

export const percent = (ratio: number | null | undefined, digits = 2): string =>
  ratio === null || ratio === undefined || !Number.isFinite(ratio)
    ? '–'
    : `${(ratio * 100).toFixed(digits)} %`;

export const burn = (rate: number | null | undefined): string =>
  rate === null || rate === undefined || !Number.isFinite(rate)
    ? '–'
    : `${rate.toFixed(rate >= 10 ? 0 : 2)}×`;

/** "3h 12m" between two instants. */
export function age(fromIso: string, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(fromIso)) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** An instant in UTC, minutes precision: what on-call people compare across tools. */
export const utc = (iso: string | null | undefined): string =>
  iso ? `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '–';

/** A value for <input type="datetime-local"> in UTC, and back. */
export const toLocalInput = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toISOString().slice(0, 16) : '';
export const fromLocalInput = (value: string): string | null =>
  value ? new Date(`${value}:00Z`).toISOString() : null;
