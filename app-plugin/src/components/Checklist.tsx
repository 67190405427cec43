// A checklist (the incident's first-responder steps, a change's pre-deploy items): one Checkbox a line,
// each box at the left of its label.
import { Stack } from '@grafana/ui';
import React from 'react';

export function Checklist({ children }: { children: React.ReactNode }) {
  // flex-start: a Checkbox stretched to the column's width spreads its grid and the label drifts to the middle.
  return (
    <Stack direction="column" gap={0.5} alignItems="flex-start">
      {children}
    </Stack>
  );
}
