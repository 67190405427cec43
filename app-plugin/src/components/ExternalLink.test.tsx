import { render, screen } from '@testing-library/react';
import React from 'react';
import { ExternalLink } from './ExternalLink';

describe('ExternalLink', () => {
  it('links http(s) URLs in a new tab', () => {
    render(<ExternalLink href="https://rfc.example.com/CHG-1">RFC</ExternalLink>);
    const link = screen.getByRole('link', { name: 'RFC' });
    expect(link).toHaveAttribute('href', 'https://rfc.example.com/CHG-1');
    expect(link).toHaveAttribute('rel', 'noreferrer noopener');
  });

  it.each(['javascript:alert(document.domain)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x'])(
    'shows %s as text, not as a link',
    (href) => {
      const { container } = render(<ExternalLink href={href}>RFC</ExternalLink>);
      expect(screen.queryByRole('link')).toBeNull();
      expect(container.querySelector('a, script')).toBeNull();
      expect(screen.getByTestId('unsafe-link')).toHaveTextContent(`RFC (${href})`);
    },
  );
});
