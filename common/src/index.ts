// @opsdeck/common: the wire schemas and domain rules every part of opsdeck shares.
export * from './api';
export * from './slo/spec';
export * from './slo';
export * from './incidents/severity';
export * from './changes/matrix';
export * from './maintenance';
export * from './re2';
export * from './incidents/business-hours';
export * from './incidents/rules';
export * from './changes/rules';
export * from './changes/windows';
export * from './query/frames';
export * from './incidents/escalation';
export * from './incidents/page-intake';
export * from './reports';
export * from './gates/decision';
export * from './incidents/statistics';
