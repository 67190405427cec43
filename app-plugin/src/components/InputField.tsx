// A labelled one-line input with its validation problem shown under it: the block every form repeats.
import { Field, Input } from '@grafana/ui';
import React from 'react';

interface Props {
  label: string;
  /** The input's id, also what the label points at. */
  id: string;
  value: string | number;
  onChange: (value: string) => void;
  /** The problem to show; the field is marked invalid while there is one. */
  error?: string;
  description?: string;
  required?: boolean;
  type?: 'text' | 'number' | 'datetime-local';
  placeholder?: string;
  width?: number;
}

export function InputField({ label, id, value, onChange, error, description, required, ...input }: Props) {
  return (
    <Field label={label} description={description} invalid={Boolean(error)} error={error} required={required}>
      <Input id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)} {...input} />
    </Field>
  );
}
