// Renders sanitized runbook markdown; with onStep, its task-list checkboxes become runbook steps
// that can be ticked (by mouse or keyboard) and report which step changed.
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React, { useEffect, useMemo, useRef } from 'react';
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

  return <div ref={ref} className={styles.markdown} dangerouslySetInnerHTML={{ __html: html }} />;
}

/** A step's own words: its list item without nested code blocks and sub-lists. */
function stepText(li: Element | null): string {
  if (!li) return '';
  const copy = li.cloneNode(true) as Element;
  copy.querySelectorAll('pre, ul, ol').forEach((n) => n.remove());
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}

const getStyles = (theme: GrafanaTheme2) => ({
  markdown: css({
    lineHeight: theme.typography.body.lineHeight,
    'li:has(> input[type="checkbox"])': { listStyle: 'none', marginLeft: theme.spacing(-2.5) },
    'input[type="checkbox"]': { marginRight: theme.spacing(1), accentColor: theme.colors.primary.main },
    pre: { background: theme.colors.background.secondary, padding: theme.spacing(1), overflowX: 'auto' },
    code: { background: theme.colors.background.secondary, color: theme.colors.text.primary },
    table: { borderCollapse: 'collapse' },
    'td, th': { border: `1px solid ${theme.colors.border.weak}`, padding: theme.spacing(0.5, 1) },
    a: { color: theme.colors.text.link },
  }),
});
