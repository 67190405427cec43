import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, { useState } from 'react';
import { InputField } from './InputField';

function Controlled({ error, onChange }: { error?: string; onChange: (v: string) => void }) {
  const [value, setValue] = useState('02:00');
  return (
    <InputField
      label="Start time"
      id="start-time"
      value={value}
      error={error}
      onChange={(v) => {
        setValue(v);
        onChange(v);
      }}
    />
  );
}

describe('InputField', () => {
  it('labels its input and hands each edit on as text', async () => {
    const seen: string[] = [];
    render(<Controlled onChange={(v) => seen.push(v)} />);
    const input = screen.getByLabelText('Start time');
    expect(input).toHaveValue('02:00');
    await userEvent.clear(input);
    await userEvent.type(input, '3');
    expect(seen).toEqual(['', '3']);
    expect(input).toHaveAttribute('aria-invalid', 'false');
  });

  it('shows the problem and marks the input invalid', () => {
    render(<Controlled error="use HH:MM" onChange={() => undefined} />);
    expect(screen.getByText('use HH:MM')).toBeInTheDocument();
    expect(screen.getByLabelText('Start time')).toHaveAttribute('aria-invalid', 'true');
  });
});
