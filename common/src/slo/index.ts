// The SLO core beyond the wire schema: windows, budget math, PromQL, rule generation and imports.
export * from './windows';
export * from './math';
export * from './promql';
export * from './rules';
export * from './import';
export * from './exclusions';
