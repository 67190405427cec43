// Compliance reports for managers: pick a month, quarter or ISO week, read every SLO's SLI against its
// objective with budget used, excluded time and incidents, and download the CSV or the PDF to mail.
import {
  type ComplianceReport,
  previousReportPeriod,
  REPORT_PERIOD_KINDS,
  type ReportPeriodKind,
  reportPeriodAt,
} from '@opsdeck/common';
import {
  Badge,
  InlineField,
  InlineFieldRow,
  LinkButton,
  LoadingPlaceholder,
  Select,
  Stack,
  useStyles2,
} from '@grafana/ui';
import React, { useState } from 'react';
import { api } from '../api/client';
import { AppLink } from '../components/AppLink';
import { ErrorAlert } from '../components/ErrorAlert';
import { pages, PROXY_BASE } from '../constants';
import { percent } from '../format';
import { useLoad } from '../hooks/useLoad';
import { getPageStyles } from '../styles';

/** How many periods the picker offers, newest first: the running one and those before it. */
export const PICKER_PERIODS = 13;

const KIND_LABELS: Record<ReportPeriodKind, string> = {
  month: 'Month',
  quarter: 'Quarter',
  week: 'ISO week',
};

/** The periods of `kind` the picker offers at `now`: the running one first. */
export function pickerPeriods(kind: ReportPeriodKind, now: Date): string[] {
  const current = reportPeriodAt(kind, now);
  return Array.from({ length: PICKER_PERIODS }, (_, n) => previousReportPeriod(current, n).label);
}

export const reportUrl = (period: string, format: 'csv' | 'pdf') =>
  `${PROXY_BASE}/api/v1/reports/slos?period=${encodeURIComponent(period)}&format=${format}`;

const hours = (seconds: number) => (seconds === 0 ? '–' : `${(seconds / 3600).toFixed(1)} h`);
const count = (n: number | null) => (n === null ? '–' : Math.round(n).toLocaleString('en-US'));

export function Compliance({ now = new Date() }: { now?: Date }) {
  const styles = useStyles2(getPageStyles);
  const [kind, setKind] = useState<ReportPeriodKind>('month');
  const options = pickerPeriods(kind, now);
  // the last finished period by default: what a monthly mail reports
  const [period, setPeriod] = useState(options[1]!);
  const report = useLoad(() => api.get<ComplianceReport>('/api/v1/reports/slos', { period }), [period]);

  const onKind = (next: ReportPeriodKind) => {
    setKind(next);
    setPeriod(pickerPeriods(next, now)[1]!);
  };

  return (
    <Stack direction="column" gap={2}>
      <div className={styles.header}>
        <h2>SLO compliance</h2>
        <Stack gap={1}>
          <LinkButton variant="secondary" icon="file-alt" href={reportUrl(period, 'csv')} download>
            Download CSV
          </LinkButton>
          <LinkButton icon="file-alt" href={reportUrl(period, 'pdf')} download>
            Download PDF
          </LinkButton>
        </Stack>
      </div>
      <InlineFieldRow>
        <InlineField label="Each" labelWidth={8}>
          <Select
            inputId="compliance-kind"
            width={16}
            options={REPORT_PERIOD_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
            value={kind}
            onChange={(o) => o.value && onKind(o.value)}
          />
        </InlineField>
        <InlineField label="Period" labelWidth={10}>
          <Select
            inputId="compliance-period"
            width={20}
            options={options.map((p, i) => ({ value: p, label: i === 0 ? `${p} (running)` : p }))}
            value={period}
            onChange={(o) => o.value && setPeriod(o.value)}
          />
        </InlineField>
      </InlineFieldRow>
      <p className={styles.muted}>
        SLI over the calendar period, in UTC (SLOs with a calendar window in their own time zone). Excluded
        time (planned work, budget adjustments) does not count.
        {report.value &&
          !report.value.complete &&
          ' The period is still running: figures cover its start to now.'}
      </p>
      <ErrorAlert error={report.error} title="Could not build the report" />
      {report.loading && !report.value && <LoadingPlaceholder text="Counting events…" />}
      {report.value && report.value.items.length === 0 && <p>No SLOs are defined yet.</p>}
      {report.value && report.value.items.length > 0 && (
        <table className={styles.table} aria-label="Compliance">
          <thead>
            <tr>
              <th>SLO</th>
              <th>Service</th>
              <th>Objective</th>
              <th>SLI</th>
              <th>Status</th>
              <th>Budget used</th>
              <th>Events</th>
              <th>Bad events</th>
              <th>Excluded</th>
              <th>Incidents</th>
            </tr>
          </thead>
          <tbody>
            {report.value.items.map((r) => (
              <tr key={r.id}>
                <td>
                  <AppLink href={pages.slo(r.id)}>{r.name}</AppLink>
                </td>
                <td>{r.service}</td>
                <td>{percent(r.objective)}</td>
                <td>{percent(r.sli, 3)}</td>
                <td>
                  {r.met === null ? (
                    <Badge color="blue" text="no data" />
                  ) : r.met ? (
                    <Badge color="green" text="met" />
                  ) : (
                    <Badge color="red" text="missed" />
                  )}
                </td>
                <td>{percent(r.budgetConsumed, 1)}</td>
                <td>{count(r.events)}</td>
                <td>{count(r.badEvents)}</td>
                <td>{hours(r.excludedSeconds)}</td>
                <td>
                  {r.incidents.map((i) => (
                    <div key={i.id}>
                      <AppLink href={pages.incident(i.id)}>
                        {i.severity} {i.title}
                      </AppLink>
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Stack>
  );
}
