export * from './primitives';
export * from './incident';
export * from './change';
export * from './maintenance-window';
export * from './runbook';
export * from './query';
export * from './alertmanager-webhook';
export * from './slo-exclusion';
