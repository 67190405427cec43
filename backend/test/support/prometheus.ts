// A real Prometheus for tests; it lives under src/bench so the SLO benchmark can start one too.
export * from '../../src/bench/prometheus-process';
