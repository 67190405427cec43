// The generated Prometheus recording and alerting rules for every SLO, to copy or download.
import { Button, ClipboardButton, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import React from 'react';
import { api } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { useLoad } from '../hooks/useLoad';
import { getPageStyles } from '../styles';

export const RULES_FILE_NAME = 'opsdeck-slo-rules.yaml';

function download(text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/yaml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = RULES_FILE_NAME;
  a.click();
  URL.revokeObjectURL(url);
}

export function SloRules() {
  const styles = useStyles2(getPageStyles);
  const rules = useLoad(() => api.text('/api/v1/slos/rules'), []);
  return (
    <Stack direction="column" gap={2}>
      <div className={styles.header}>
        <h2>Prometheus rules for every SLO</h2>
        {rules.value !== undefined && (
          <Stack gap={1}>
            <ClipboardButton icon="copy" getText={() => rules.value ?? ''}>
              Copy
            </ClipboardButton>
            <Button variant="secondary" icon="download-alt" onClick={() => download(rules.value ?? '')}>
              Download {RULES_FILE_NAME}
            </Button>
          </Stack>
        )}
      </div>
      <p className={styles.muted}>
        Recording rules sum short increases (event-weighted); the alerts follow the multi-window
        multi-burn-rate table. Add the file to Prometheus&apos;s rule_files.
      </p>
      <ErrorAlert error={rules.error} title="Could not generate the rules" />
      {rules.loading && <LoadingPlaceholder text="Generating rules…" />}
      {rules.value !== undefined && (
        <pre className={styles.pre} aria-label="Rules YAML" tabIndex={0}>
          {rules.value}
        </pre>
      )}
    </Stack>
  );
}
