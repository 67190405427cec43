// One change: what still blocks its start (approvals, checklist, window), approvals by role, the
// lifecycle actions, and canary progress 5 → 25 → 50 → 100 % with each stage's gate decision.
import {
  CANARY_STAGES,
  PRE_DEPLOY_CHECKLIST,
  ROLE_NAME,
  approvalProblem,
  requiredApprovals,
  type Change,
} from '@opsdeck/common';
import { Alert, Badge, Button, Checkbox, Input, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import React, { useState } from 'react';
import { api } from '../api/client';
import type { ChangeReadiness, GateAnswer } from '../api/types';
import { Checklist } from '../components/Checklist';
import { ErrorAlert } from '../components/ErrorAlert';
import { ExternalLink } from '../components/ExternalLink';
import { utc } from '../format';
import { useLoad } from '../hooks/useLoad';
import { useSubmit } from '../hooks/useSubmit';
import { canWrite, currentUserLogin } from '../role';
import { getPageStyles } from '../styles';
import { RISK_COLOR } from './ChangeList';

export function ChangeDetail({ id }: { id: string }) {
  const styles = useStyles2(getPageStyles);
  const base = `/api/v1/changes/${encodeURIComponent(id)}`;
  const change = useLoad(() => api.get<Change>(base), [base]);
  const readiness = useLoad(
    () => api.get<ChangeReadiness>(`${base}/readiness`),
    [base, change.value?.version],
  );
  const [reason, setReason] = useState('');
  const [gate, setGate] = useState<GateAnswer>();
  const writable = canWrite();
  const act = useSubmit(async (path: string, body: unknown = {}) => {
    await api.post(`${base}${path}`, body);
    change.reload();
  });
  const tick = useSubmit(async (item: string, done: boolean) => {
    const c = change.value!;
    await api.patch(base, { checklist: { ...c.checklist, [item]: done }, version: c.version });
    change.reload();
  });
  /** Asks the deploy gate, then records the stage with the gate's decision and reasons. */
  const canary = useSubmit(async (percent: number) => {
    const c = change.value!;
    const answer = await api.get<GateAnswer>(`/api/v1/gates/${encodeURIComponent(c.service)}`);
    setGate(answer);
    await api.post(`${base}/canary`, {
      percent,
      decision: answer.decision,
      reasons: answer.reasons.map((r) => r.message),
    });
    change.reload();
  });

  if (change.error) return <ErrorAlert error={change.error} title={`Could not load change ${id}`} />;
  const c = change.value;
  if (!c) return <LoadingPlaceholder text="Loading change…" />;
  const r = readiness.value;
  const me = currentUserLogin();
  const nextStage = r?.nextCanaryStage ?? null;

  return (
    <Stack direction="column" gap={2}>
      <div className={styles.header}>
        <div>
          <h2>
            <Badge color={RISK_COLOR[c.risk]} text={c.risk} /> {c.title}
          </h2>
          <span className={styles.muted}>
            {c.kind} on {c.service} · {c.status} · owner {c.owner} · planned {utc(c.plannedStart)} –{' '}
            {utc(c.plannedEnd)}
            {c.rfcUrl && (
              <>
                {' · '}
                <ExternalLink href={c.rfcUrl}>RFC</ExternalLink>
              </>
            )}
          </span>
        </div>
      </div>
      <ErrorAlert error={act.error ?? tick.error ?? canary.error} title="The action was refused" />
      <ErrorAlert error={readiness.error} />
      {r &&
        c.status !== 'in-progress' &&
        !['completed', 'rolled-back', 'failed', 'cancelled'].includes(c.status) && (
          <section className={styles.card} aria-label="Readiness">
            <h4>Before it can start</h4>
            <ul>
              {r.missingApprovals.map((role) => (
                <li key={role}>approval from {ROLE_NAME[role as keyof typeof ROLE_NAME] ?? role}</li>
              ))}
              {r.missingChecklist.map((item) => (
                <li key={item.id}>{item.text}</li>
              ))}
              {r.windowRequired && r.nextAllowedSlot && (
                <li>
                  a maintenance window: next allowed slot {utc(r.nextAllowedSlot.start)} –{' '}
                  {utc(r.nextAllowedSlot.end)}
                </li>
              )}
              {r.missingApprovals.length === 0 && r.missingChecklist.length === 0 && (
                <li>nothing else: ready to start{r.windowRequired && ' inside its window'}</li>
              )}
            </ul>
          </section>
        )}
      <div className={styles.grid}>
        <section className={styles.card} aria-label="Approvals">
          <h4>
            Approvals (
            {requiredApprovals(c.risk)
              .map((x) => ROLE_NAME[x])
              .join(' + ')}
            )
          </h4>
          <ul>
            {c.approvals.map((a) => (
              <li key={a.role}>
                {ROLE_NAME[a.role]}: {a.approver} at {utc(a.at)}
                {a.comment && ` — ${a.comment}`}
              </li>
            ))}
          </ul>
          {writable && c.status === 'proposed' && (
            <Stack gap={1} wrap="wrap">
              {requiredApprovals(c.risk)
                .filter((role) => !c.approvals.some((a) => a.role === role))
                .map((role) => {
                  const hint = me ? approvalProblem(c, role, me) : null;
                  return (
                    <Button
                      key={role}
                      variant="secondary"
                      icon="check"
                      onClick={() => act.run('/approvals', { role })}
                      disabled={act.busy}
                      tooltip={hint ?? undefined}
                    >
                      Approve as {ROLE_NAME[role]}
                    </Button>
                  );
                })}
            </Stack>
          )}
        </section>
        <section className={styles.card} aria-label="Pre-deploy checklist">
          <h4>Pre-deploy checklist</h4>
          <Checklist>
            {PRE_DEPLOY_CHECKLIST.map((item) => (
              <Checkbox
                key={item.id}
                label={item.text}
                value={Boolean(c.checklist[item.id])}
                disabled={!writable || tick.busy || !['proposed', 'approved'].includes(c.status)}
                onChange={(e) => tick.run(item.id, e.currentTarget.checked)}
              />
            ))}
          </Checklist>
        </section>
      </div>
      <section className={styles.card} aria-label="Canary">
        <h4>Canary</h4>
        <ol className={styles.timeline}>
          {CANARY_STAGES.map((percent) => {
            const stage = c.canary.find((s) => s.percent === percent);
            return (
              <li key={percent}>
                <Badge
                  color={!stage ? 'darkgrey' : stage.decision === 'proceed' ? 'green' : 'red'}
                  text={`${percent} %`}
                />{' '}
                {stage
                  ? `${stage.decision} at ${utc(stage.at)}${stage.reasons.length ? `: ${stage.reasons.join('; ')}` : ''}`
                  : 'not run'}
              </li>
            );
          })}
        </ol>
        {gate && (
          <Alert
            severity={gate.decision === 'proceed' ? 'success' : 'warning'}
            title={`Gate for ${gate.service}: ${gate.decision}`}
          >
            {gate.reasons.map((x) => x.message).join('; ') ||
              'no SLO paging, budget above the floor, no open S1/S2'}
          </Alert>
        )}
        {writable && c.status === 'in-progress' && nextStage !== null && (
          <Button icon="arrow-right" onClick={() => canary.run(nextStage)} disabled={canary.busy}>
            Ask the gate and run {nextStage} %
          </Button>
        )}
      </section>
      {writable && (
        <section className={styles.card} aria-label="Lifecycle">
          <Stack gap={1} wrap="wrap" alignItems="center">
            {c.status === 'approved' && (
              <Button icon="play" onClick={() => act.run('/start')} disabled={act.busy}>
                Start
              </Button>
            )}
            {c.status === 'in-progress' && (
              <Button icon="check" onClick={() => act.run('/complete')} disabled={act.busy}>
                Complete
              </Button>
            )}
            {(c.status === 'in-progress' || c.status === 'proposed' || c.status === 'approved') && (
              <>
                <Input
                  aria-label="Reason"
                  placeholder="reason"
                  value={reason}
                  onChange={(e) => setReason(e.currentTarget.value)}
                  width={40}
                />
                {c.status === 'in-progress' ? (
                  <Button
                    variant="destructive"
                    icon="history"
                    onClick={() => act.run('/rollback', { reason })}
                    disabled={act.busy}
                  >
                    Roll back
                  </Button>
                ) : (
                  <Button
                    variant="destructive"
                    onClick={() => act.run('/cancel', reason.trim() ? { reason } : {})}
                    disabled={act.busy}
                  >
                    Cancel change
                  </Button>
                )}
              </>
            )}
          </Stack>
          {c.rollbackReason && <p>Rolled back: {c.rollbackReason}</p>}
        </section>
      )}
    </Stack>
  );
}
