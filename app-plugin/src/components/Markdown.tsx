// Renders sanitized runbook markdown; with onStep, its task-list checkboxes become runbook steps
// that can be ticked (by mouse or keyboard) and report which step changed.
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React, { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { renderMarkdown } from '../markdown';

export interface StepChange {
  index: number;
  text: string;
  done: boolean;
}

interface Props {
  markdown: string;
  /** step indexes already ticked (from the incident timeline) */
  ticked?: ReadonlySet<number>;
  onStep?: (step: StepChange) => void;
}

export function Markdown({ markdown, ticked, onStep }: Props) {
  const styles = useStyles2(getStyles);
  const html = useMemo(() => renderMarkdown(markdown), [markdown]);
  const ref = useRef<HTMLDivElement>(null);
  const onStepRef = useRef(onStep);
  onStepRef.current = onStep;

  // The sanitized HTML is written here, not through dangerouslySetInnerHTML: React 19 (Grafana 13.2) can
  // write it again on a re-render of the drawer, which would drop the steps' state and labels below.
  useLayoutEffect(() => {
    if (ref.current) ref.current.innerHTML = html;
  }, [html]);

  const writable = Boolean(onStep);
  // Ticked state comes from the timeline; it is applied again only when the timeline changes, so a
  // box the user just ticked stays ticked while its entry is being written.
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    root.querySelectorAll<HTMLInputElement>('input[type="checkbox"]').forEach((box, index) => {
      const text = stepText(box.closest('li'));
      box.disabled = !writable;
      box.checked = ticked?.has(index) ?? false;
      box.dataset.step = String(index);
      box.setAttribute('aria-label', text || `step ${index + 1}`);
    });
  }, [html, ticked, writable]);

  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const onChange = (event: Event) => {
      const box = event.target as HTMLInputElement;
      if (box.type !== 'checkbox' || box.dataset.step === undefined) return;
      onStepRef.current?.({
        index: Number(box.dataset.step),
        text: box.getAttribute('aria-label') ?? '',
        done: box.checked,
      });
    };
    root.addEventListener('change', onChange);
    return () => root.removeEventListener('change', onChange);
  }, [html]);

  return <div ref={ref} className={styles.markdown} />;
}

/** A step's own words: its list item without nested code blocks and sub-lists. */
function stepText(li: Element | null): string {
  if (!li) return '';
  const copy = li.cloneNode(true) as Element;
  copy.querySelectorAll('pre, ul, ol').forEach((n) => n.remove());
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}

// A step is `<li><input>…` in a tight list and `<li><p><input>…` in a loose one (a step with a code block):
// both get the same hanging indent, the box on the first line, the text wrapping beside it.
const TIGHT_STEP = 'li:has(> input[type="checkbox"])';
const LOOSE_STEP = 'li:has(> p:first-child > input[type="checkbox"])';

const getStyles = (theme: GrafanaTheme2) => ({
  markdown: css({
    lineHeight: theme.typography.body.lineHeight,
    // Grafana's global styles give headings no top margin: sections would run into each other.
    'h1, h2, h3, h4, h5, h6': { marginTop: theme.spacing(3) },
    '& > :first-child': { marginTop: 0 },
    // (:has cannot nest, so the list is found by its steps' boxes)
    'ul:has(> li > input[type="checkbox"], > li > p:first-child > input[type="checkbox"])': {
      paddingLeft: theme.spacing(1),
    },
    [`${TIGHT_STEP}, ${LOOSE_STEP}`]: {
      listStyle: 'none',
      position: 'relative',
      paddingLeft: theme.spacing(3),
      marginBottom: theme.spacing(0.5),
    },
    [`${LOOSE_STEP} > p:first-child`]: { marginTop: 0 },
    'li > input[type="checkbox"], li > p:first-child > input[type="checkbox"]': {
      position: 'absolute',
      left: 0,
      // centred on the first line of text
      top: `calc((${theme.typography.body.lineHeight}em - 1em) / 2)`,
      width: '1em',
      height: '1em',
      margin: 0,
      accentColor: theme.colors.primary.main,
    },
    pre: { background: theme.colors.background.secondary, padding: theme.spacing(1), overflowX: 'auto' },
    code: { background: theme.colors.background.secondary, color: theme.colors.text.primary },
    table: { borderCollapse: 'collapse' },
    'td, th': { border: `1px solid ${theme.colors.border.weak}`, padding: theme.spacing(0.5, 1) },
    a: { color: theme.colors.text.link },
  }),
});
