// The shape every benchmark reports, and how a load run's latencies become figures.

export interface BenchResult {
  name: string;
  /** Measured numbers, named with their unit (p95_ms, rows, seconds...). */
  figures: Record<string, number>;
  /** The same measurement on a baseline taken in the same run, when the target is relative. */
  baseline?: { name: string; figures: Record<string, number> };
  /** measured / baseline for the figure the target is about. */
  ratio?: number;
  target: string;
  pass: boolean;
  /** The benchmark that measured it (its name for `npm run bench -- NAME`) and when; set by the runner. */
  bench?: string;
  at?: string;
}

export interface LoadFigures {
  requests: number;
  errors: number;
  rps: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
}
