// The deploy gate's decision for one service: proceed, or halt with a reason per SLO paging, per
// budget below the floor and per open S1/S2 incident. Pure: the backend's gate route and the change
// lifecycle's canary stages evaluate the SLOs and list the incidents, then ask this.
import { z } from 'zod';
import type { Incident, Severity } from '../api/incident';

/** Budget share below which a deploy halts, unless the caller sets its own floor. */
export const DEFAULT_MIN_BUDGET = 0.1;
/** Incidents this severe and not yet resolved halt deploys of their service. */
export const HALTING_SEVERITIES: readonly Severity[] = ['S1', 'S2'];

export const GateReason = z.object({
  code: z.enum(['slo_paging', 'budget_below_floor', 'incident_open']),
  message: z.string(),
  slo: z.string().optional(),
  incident: z.string().optional(),
});
export type GateReason = z.infer<typeof GateReason>;

export const GateSlo = z.object({
  id: z.string(),
  sli: z.number().nullable(),
  budgetRemaining: z.number().nullable(),
  page: z.boolean(),
  ticket: z.boolean(),
  burnRate1h: z.number().nullable(),
});

export const GateAnswer = z.object({
  service: z.string(),
  decision: z.enum(['proceed', 'halt']),
  reasons: z.array(GateReason).describe('why the deploy halts; empty on proceed'),
  slos: z.array(GateSlo),
  minBudget: z.number(),
  evaluatedAt: z.string(),
});
export type GateAnswer = z.infer<typeof GateAnswer>;

/** What the gate reads of an SLO's status (the backend's evaluated SLO status has these fields). */
export interface GateSloStatus {
  id: string;
  sli: number | null;
  errorBudget: { remaining: number | null };
  alerts: { page: boolean; ticket: boolean };
  burnRates: Partial<Record<string, number | null>>;
}

export type GateIncident = Pick<Incident, 'id' | 'title' | 'severity' | 'status' | 'service' | 'services'>;

export interface GateInput {
  service: string;
  /** Statuses of the service's SLOs. */
  statuses: readonly GateSloStatus[];
  /** Incidents not yet resolved, of any service: those of other services are ignored. */
  openIncidents: readonly GateIncident[];
  minBudget: number;
  now: Date;
}

const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;
const rate = (v: number | null | undefined) => v?.toFixed(1) ?? '?';

export function decideGate({ service, statuses, openIncidents, minBudget, now }: GateInput): GateAnswer {
  const reasons: GateReason[] = [];
  for (const s of statuses) {
    if (s.alerts.page) {
      reasons.push({
        code: 'slo_paging',
        slo: s.id,
        message: `SLO ${s.id} is paging: burn rate ${rate(s.burnRates['1h'])}x over 1h, ${rate(s.burnRates['5m'])}x over 5m`,
      });
    }
    const left = s.errorBudget.remaining;
    if (left !== null && left < minBudget) {
      reasons.push({
        code: 'budget_below_floor',
        slo: s.id,
        message: `SLO ${s.id} has ${pct(left)} of its error budget left, below the ${pct(minBudget)} floor`,
      });
    }
  }
  for (const i of openIncidents) {
    if (i.status === 'resolved' || !HALTING_SEVERITIES.includes(i.severity)) continue;
    if (i.service !== service && !i.services.includes(service)) continue;
    reasons.push({
      code: 'incident_open',
      incident: i.id,
      message: `${i.severity} incident "${i.title}" (${i.status}) is open on ${service}`,
    });
  }
  return {
    service,
    decision: reasons.length > 0 ? 'halt' : 'proceed',
    reasons,
    slos: statuses.map((s) => ({
      id: s.id,
      sli: s.sli,
      budgetRemaining: s.errorBudget.remaining,
      page: s.alerts.page,
      ticket: s.alerts.ticket,
      burnRate1h: s.burnRates['1h'] ?? null,
    })),
    minBudget,
    evaluatedAt: now.toISOString(),
  };
}
