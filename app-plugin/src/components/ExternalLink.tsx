// A link out of Grafana from stored data (an RFC, a runbook): an <a> only for http(s) URLs, so a
// `javascript:` or `data:` URL stored before the API refused them is shown as text, never followed.
import { isHttpUrl } from '@opsdeck/common';
import React from 'react';

export function ExternalLink({ href, children }: { href: string; children: React.ReactNode }) {
  if (!isHttpUrl(href)) {
    return (
      <span data-testid="unsafe-link">
        {children} ({href})
      </span>
    );
  }
  return (
    <a href={href} rel="noreferrer noopener" target="_blank">
      {children}
    </a>
  );
}
