// The golden SLO history for tests; it lives under src/bench so the SLO benchmark can use it too.
export * from '../../src/bench/golden-history';
