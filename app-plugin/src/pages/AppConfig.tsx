// The app's configuration page: backend URL (jsonData) and token (secureJsonData), saved into
// Grafana's plugin settings, and the backend's readiness as seen through the app's proxy route.
import type { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput, Stack, Text, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { type ApiError, api, toApiError } from '../api/client';
import type { Ready } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { PLUGIN_ID } from '../constants';
import type { AppJsonData } from '../types';

type Props = PluginConfigPageProps<AppPluginMeta<AppJsonData>>;

/** GET /readyz through the proxy; a 503 still carries the per-check answer. */
export async function backendHealth(): Promise<Ready> {
  try {
    return await api.get<Ready>('/readyz');
  } catch (err) {
    const body = (err as ApiError).body as Partial<Ready> | undefined;
    if (body && typeof body === 'object' && body.checks) return body as Ready;
    throw err;
  }
}

export function AppConfig({ plugin }: Props) {
  const styles = useStyles2(getStyles);
  const meta = plugin.meta;
  const [backendUrl, setBackendUrl] = useState(meta.jsonData?.backendUrl ?? '');
  const [token, setToken] = useState('');
  const [tokenSet, setTokenSet] = useState(Boolean(meta.secureJsonFields?.token));
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [health, setHealth] = useState<Ready>();
  const [checking, setChecking] = useState(false);
  const urlProblem =
    backendUrl && !/^https?:\/\/[^\s]+$/.test(backendUrl)
      ? 'write an http:// or https:// URL, e.g. http://opsdeck-backend:3001'
      : '';

  const save = async () => {
    setError(undefined);
    try {
      await lastValueFrom(
        getBackendSrv().fetch({
          url: `/api/plugins/${PLUGIN_ID}/settings`,
          method: 'POST',
          data: {
            enabled: true,
            pinned: true,
            jsonData: { ...meta.jsonData, backendUrl: backendUrl.replace(/\/+$/, '') },
            secureJsonData: token ? { token } : undefined,
          },
          showErrorAlert: false,
        }),
      );
      setSaved(true);
      if (token) setTokenSet(true);
      setToken('');
    } catch (err) {
      setError(toApiError(err));
    }
  };

  const check = async () => {
    setChecking(true);
    setError(undefined);
    setHealth(undefined);
    try {
      setHealth(await backendHealth());
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setChecking(false);
    }
  };

  return (
    <div className={styles.page}>
      <FieldSet label="opsdeck backend">
        <Field
          label="Backend URL"
          description="Grafana's server calls this URL; browsers never do."
          invalid={Boolean(urlProblem)}
          error={urlProblem}
        >
          <Input
            id="backend-url"
            value={backendUrl}
            placeholder="http://opsdeck-backend:3001"
            onChange={(e) => setBackendUrl(e.currentTarget.value)}
            width={60}
          />
        </Field>
        <Field
          label="Token"
          description="An opsdeck editor token marked as Grafana's proxy token (name:editor:secret:grafana-proxy in OPSDECK_TOKENS), so opsdeck records the signed-in user. Grafana keeps it encrypted and lets only editors write through the proxy."
        >
          <SecretInput
            id="backend-token"
            isConfigured={tokenSet}
            value={token}
            onChange={(e) => setToken(e.currentTarget.value)}
            onReset={() => setTokenSet(false)}
            width={60}
          />
        </Field>
        <Stack gap={1}>
          <Button onClick={save} disabled={!backendUrl || Boolean(urlProblem)}>
            Save settings
          </Button>
          <Button
            variant="secondary"
            onClick={check}
            disabled={checking}
            icon={checking ? 'spinner' : 'heart'}
          >
            Check backend health
          </Button>
        </Stack>
      </FieldSet>
      {saved && <Alert severity="success" title="Settings saved. Reload the page for Grafana to use them." />}
      <ErrorAlert error={error} />
      {health && (
        <Alert
          severity={health.status === 'ready' ? 'success' : 'warning'}
          title={health.status === 'ready' ? 'The backend is ready' : 'The backend is not ready'}
        >
          <ul aria-label="Health checks">
            {Object.entries(health.checks).map(([name, c]) => (
              <li key={name}>
                <Text weight="medium">{name}</Text>: {c.ok ? 'ok' : (c.error ?? 'failing')}
              </li>
            ))}
          </ul>
        </Alert>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), maxWidth: 900 }),
});
