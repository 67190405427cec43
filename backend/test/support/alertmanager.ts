// Real Alertmanager processes for tests; the launcher lives beside the benchmark that also needs it.
export * from '../../src/bench/alertmanager-process';
