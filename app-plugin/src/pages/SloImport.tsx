// Import form for OpenSLO, Sloth and Pyrra YAML: preview the converted SLOs, then store them.
import type { SloCreate } from '@opsdeck/common';
import { Alert, Button, Field, RadioButtonGroup, Stack, TextArea, useStyles2 } from '@grafana/ui';
import React, { useState } from 'react';
import { api } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSubmit } from '../hooks/useSubmit';
import { canWrite } from '../role';
import { getPageStyles } from '../styles';

type Format = 'auto' | 'openslo' | 'sloth' | 'pyrra';
interface ImportAnswer {
  slos: SloCreate[];
  created: string[];
  updated: string[];
}

const FORMATS: Array<{ label: string; value: Format }> = [
  { label: 'Detect', value: 'auto' },
  { label: 'OpenSLO', value: 'openslo' },
  { label: 'Sloth', value: 'sloth' },
  { label: 'Pyrra', value: 'pyrra' },
];

export function SloImport() {
  const styles = useStyles2(getPageStyles);
  const [format, setFormat] = useState<Format>('auto');
  const [yaml, setYaml] = useState('');
  const [answer, setAnswer] = useState<{ applied: boolean; result: ImportAnswer }>();
  const send = useSubmit(async (apply: boolean) => {
    const result = await api.post<ImportAnswer>(
      '/api/v1/slos/import',
      { yaml, ...(format === 'auto' ? {} : { format }) },
      { apply: String(apply) },
    );
    setAnswer({ applied: apply, result });
  });
  const writable = canWrite();

  return (
    <Stack direction="column" gap={2}>
      <h2>Import SLOs</h2>
      <Field label="Format">
        <RadioButtonGroup options={FORMATS} value={format} onChange={setFormat} />
      </Field>
      <Field
        label="YAML"
        description="One or more documents; each is converted to an opsdeck SLO."
        invalid={yaml.trim() === '' && Boolean(send.error)}
      >
        <TextArea
          id="import-yaml"
          rows={16}
          value={yaml}
          onChange={(e) => setYaml(e.currentTarget.value)}
          aria-label="SLO YAML"
        />
      </Field>
      <Stack gap={1}>
        <Button variant="secondary" disabled={!yaml.trim() || send.busy} onClick={() => send.run(false)}>
          Preview
        </Button>
        <Button
          disabled={!yaml.trim() || send.busy || !writable}
          onClick={() => send.run(true)}
          tooltip={writable ? undefined : 'Editors import SLOs'}
        >
          Import
        </Button>
      </Stack>
      <ErrorAlert error={send.error} title="The SLOs cannot be imported" />
      {answer && (
        <Alert
          severity="success"
          title={
            answer.applied
              ? `Stored: ${answer.result.created.length} new, ${answer.result.updated.length} updated`
              : `${answer.result.slos.length} SLO(s) convert cleanly`
          }
        >
          <table className={styles.table} aria-label="Converted SLOs">
            <thead>
              <tr>
                <th>id</th>
                <th>service</th>
                <th>objective</th>
                <th>window</th>
                <th>indicator</th>
              </tr>
            </thead>
            <tbody>
              {answer.result.slos.map((s) => (
                <tr key={s.id}>
                  <td>{s.id}</td>
                  <td>{s.service}</td>
                  <td>{s.objective} %</td>
                  <td>{s.window ?? '30d'}</td>
                  <td>{s.indicator.kind}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Alert>
      )}
    </Stack>
  );
}
