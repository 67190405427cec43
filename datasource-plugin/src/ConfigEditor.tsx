// Data source settings: the backend URL (plain jsonData, used by the proxy route) and the API token
// (secureJsonData: written once, shown only as "configured", reset to replace).
import React, { type ChangeEvent } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { FieldSet, InlineField, Input, SecretInput } from '@grafana/ui';
import type { OpsdeckOptions, OpsdeckSecureJsonData } from './types';

type Props = DataSourcePluginOptionsEditorProps<OpsdeckOptions, OpsdeckSecureJsonData>;

const LABEL_WIDTH = 16;

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields, secureJsonData } = options;

  const onUrlChange = (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, url: event.target.value.trim() } });

  const onTokenChange = (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, token: event.target.value } });

  const onTokenReset = () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, token: false },
      secureJsonData: { ...secureJsonData, token: '' },
    });

  return (
    <>
      <FieldSet label="Connection">
        <InlineField
          label="URL"
          labelWidth={LABEL_WIDTH}
          tooltip="Where Grafana's server reaches the opsdeck backend; the browser never calls it directly."
          required
          invalid={Boolean(jsonData.url) && !/^https?:\/\/[^\s/]+/.test(jsonData.url ?? '')}
          error="Use an http:// or https:// URL"
        >
          <Input
            id="opsdeck-config-url"
            width={48}
            value={jsonData.url ?? ''}
            placeholder="http://opsdeck-backend:3001"
            onChange={onUrlChange}
          />
        </InlineField>
      </FieldSet>
      <FieldSet label="Authentication">
        <InlineField
          label="API token"
          labelWidth={LABEL_WIDTH}
          tooltip="A viewer token from OPSDECK_TOKENS; stored encrypted and sent by Grafana's proxy as a bearer token."
        >
          <SecretInput
            id="opsdeck-config-token"
            width={48}
            isConfigured={Boolean(secureJsonFields?.token)}
            value={secureJsonData?.token ?? ''}
            placeholder="viewer token"
            onChange={onTokenChange}
            onReset={onTokenReset}
          />
        </InlineField>
      </FieldSet>
    </>
  );
}
