// Compliance reports: calendar periods and per-SLO compliance over them.
export * from './period';
export * from './compliance';
