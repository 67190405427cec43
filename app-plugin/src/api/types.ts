// Shapes of backend answers that have no schema in @opsdeck/common (they are defined with the
// backend's routes and published in its OpenAPI document); only the fields the pages read.

export interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Ready {
  status: 'ready' | 'not_ready';
  checks: Record<string, { ok: boolean; error?: string }>;
}

export interface SloStatus {
  id: string;
  service: string;
  objective: number;
  window: { start: string; end: string };
  sli: number | null;
  events: number | null;
  errorBudget: { total: number; consumed: number | null; remaining: number | null };
  burnRates: Record<string, number | null>;
  alerts: { page: boolean; ticket: boolean };
  source: 'raw' | 'rules';
}

export interface SloBatchStatus {
  evaluatedAt: string;
  items: SloStatus[];
  errors: Array<{ id: string; error: string; message: string }>;
}

export interface SloBudget {
  id: string;
  from: string;
  to: string;
  step: number;
  series: Array<{
    labels: Record<string, string>;
    remaining: Array<[string, number | null]>;
    burnRate: Array<[string, number | null]>;
  }>;
}

export interface ChangeReadiness {
  status: string;
  missingApprovals: string[];
  missingChecklist: Array<{ id: string; text: string }>;
  windowRequired: boolean;
  nextAllowedSlot: { start: string; end: string; windowId?: string } | null;
  nextCanaryStage: number | null;
}

export interface StatusPageView {
  title: string;
  severity: string;
  startedAt: string;
  resolvedAt: string | null;
  summary: string;
  impact: string;
  timeline: Array<{ at: string; kind: string; text: string }>;
  mitigation: string;
  nextSteps: string;
}

export interface GateAnswer {
  service: string;
  decision: 'proceed' | 'halt';
  reasons: Array<{ code: string; message: string }>;
  evaluatedAt: string;
}
