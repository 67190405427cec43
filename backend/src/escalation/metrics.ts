// Prometheus metrics of the escalation pusher on the app's registry: pushes per Alertmanager and
// their failures, whether each answered last time, and how many escalation alerts are firing.
import { Counter, Gauge, type Registry } from 'prom-client';

export class EscalationMetrics {
  readonly pushes: Counter<'target' | 'result'>;
  readonly targetUp: Gauge<'target'>;
  readonly firing: Gauge<'alertname'>;
  readonly cycleFailures: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.pushes = new Counter({
      name: 'opsdeck_escalation_pushes_total',
      help: 'Escalation pushes (POST /api/v2/alerts) per Alertmanager, by result: ok or error (retried next cycle).',
      labelNames: ['target', 'result'],
      registers,
    });
    this.targetUp = new Gauge({
      name: 'opsdeck_escalation_target_up',
      help: '1 when the Alertmanager took the last escalation push, 0 when it failed.',
      labelNames: ['target'],
      registers,
    });
    this.firing = new Gauge({
      name: 'opsdeck_escalation_alerts',
      help: 'Escalation alerts opsdeck holds firing after the last cycle, by alert name.',
      labelNames: ['alertname'],
      registers,
    });
    this.cycleFailures = new Counter({
      name: 'opsdeck_escalation_cycle_failures_total',
      help: 'Escalation cycles that could not read the incidents from the store.',
      registers,
    });
  }
}
