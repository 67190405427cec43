import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders headings, task lists, tables and code', () => {
    const html = renderMarkdown(
      '# Title\n\n- [ ] step one\n- [x] step two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```promql\nrate(x[5m])\n```\n',
    );
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(doc.querySelector('h1')?.textContent).toBe('Title');
    expect(doc.querySelectorAll('li input[type="checkbox"]')).toHaveLength(2);
    expect(doc.querySelector('td')?.textContent).toBe('1');
    expect(doc.querySelector('pre code')?.textContent).toContain('rate(x[5m])');
  });

  it.each([
    ['a script element', '<script>window.__pwned = 1</script>'],
    ['an event handler', '<img src="x" onerror="window.__pwned = 1">'],
    ['a javascript: link', '[click](javascript:window.__pwned=1)'],
    ['an svg handler', '<svg onload="window.__pwned=1"><circle r="1"/></svg>'],
    ['an iframe', '<iframe src="javascript:window.__pwned=1"></iframe>'],
    ['a style attribute', '<p style="background:url(javascript:alert(1))">x</p>'],
  ])('drops %s', (_what, markdown) => {
    const html = renderMarkdown(`text\n\n${markdown}\n`);
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(doc.querySelector('script, iframe, [onerror], [onload], [style]')).toBeNull();
    expect(html).not.toMatch(/javascript:/i);
  });
});
