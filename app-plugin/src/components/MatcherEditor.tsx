// Alert label matchers of a maintenance window: one row per matcher (name, operator, value).
import { MATCHER_OPS, type Matcher } from '@opsdeck/common';
import { Button, IconButton, Input, Select, Stack } from '@grafana/ui';
import React from 'react';
import type { FieldErrors } from '../validation';

interface Props {
  matchers: Matcher[];
  onChange: (matchers: Matcher[]) => void;
  errors: FieldErrors;
}

export function MatcherEditor({ matchers, onChange, errors }: Props) {
  const update = (n: number, patch: Partial<Matcher>) =>
    onChange(matchers.map((m, k) => (k === n ? { ...m, ...patch } : m)));
  return (
    <Stack direction="column" gap={1}>
      {matchers.map((m, n) => (
        <Stack key={n} gap={1} alignItems="center">
          <Input
            aria-label={`Label name ${n + 1}`}
            value={m.name}
            placeholder="service"
            invalid={Boolean(errors[`matchers.${n}.name`])}
            onChange={(e) => update(n, { name: e.currentTarget.value })}
            width={20}
          />
          <Select
            aria-label={`Operator ${n + 1}`}
            options={MATCHER_OPS.map((op) => ({ label: op, value: op }))}
            value={m.op}
            onChange={(v) => v.value && update(n, { op: v.value })}
            width={8}
          />
          <Input
            aria-label={`Label value ${n + 1}`}
            value={m.value}
            placeholder="db"
            invalid={Boolean(errors[`matchers.${n}.value`])}
            onChange={(e) => update(n, { value: e.currentTarget.value })}
            width={30}
          />
          <IconButton
            name="trash-alt"
            aria-label={`Remove matcher ${n + 1}`}
            onClick={() => onChange(matchers.filter((_, k) => k !== n))}
          />
          {(errors[`matchers.${n}.name`] ?? errors[`matchers.${n}.value`]) && (
            <span role="alert">{errors[`matchers.${n}.name`] ?? errors[`matchers.${n}.value`]}</span>
          )}
        </Stack>
      ))}
      <div>
        <Button
          variant="secondary"
          size="sm"
          icon="plus"
          onClick={() => onChange([...matchers, { name: '', op: '=', value: '' }])}
        >
          Add matcher
        </Button>
      </div>
    </Stack>
  );
}
