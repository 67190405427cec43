// Severity picker that explains the guide's matrix (from common's SEVERITY_MATRIX) while choosing.
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { SEVERITIES, SEVERITY_MATRIX, type Severity } from '@opsdeck/common';
import { RadioButtonGroup, useStyles2 } from '@grafana/ui';
import React from 'react';
import { getPageStyles } from '../styles';

const rto = (minutes: number | null) =>
  minutes === null ? 'none' : minutes < 60 ? `< ${minutes}m` : `< ${minutes / 60}h`;
const RESPONSE = { immediate: 'page now', 'business-hours': 'business hours', track: 'track only' } as const;

export function SeverityPicker({ value, onChange }: { value: Severity; onChange: (s: Severity) => void }) {
  const styles = useStyles2(getStyles);
  const page = useStyles2(getPageStyles);
  return (
    <div>
      <RadioButtonGroup
        aria-label="Severity"
        options={SEVERITIES.map((s) => ({
          label: `${s} ${SEVERITY_MATRIX[s].label}`,
          value: s,
          description: SEVERITY_MATRIX[s].meaning,
        }))}
        value={value}
        onChange={onChange}
      />
      <table className={cx(page.table, styles.matrix)} aria-label="Severity matrix">
        <thead>
          <tr>
            <th>Severity</th>
            <th>Meaning</th>
            <th>RTO</th>
            <th>Response</th>
            <th>Comms</th>
            <th>Status page</th>
            <th>Postmortem</th>
          </tr>
        </thead>
        <tbody>
          {SEVERITIES.map((s) => {
            const rule = SEVERITY_MATRIX[s];
            return (
              <tr key={s} className={s === value ? styles.selected : undefined} aria-selected={s === value}>
                <td>
                  {s} {rule.label}
                </td>
                <td>{rule.meaning}</td>
                <td>{rto(rule.rtoMinutes)}</td>
                <td>{RESPONSE[rule.response]}</td>
                <td>{rule.commsEveryMinutes ? `every ${rule.commsEveryMinutes}m` : 'on major changes'}</td>
                <td>{rule.statusPageRequired ? 'required' : '–'}</td>
                <td>{rule.postmortemRequired ? 'within 5 business days' : '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  matrix: css({ marginTop: theme.spacing(1), fontSize: theme.typography.bodySmall.fontSize }),
  selected: css({ background: theme.colors.action.selected, fontWeight: theme.typography.fontWeightMedium }),
});
