import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  createTheme,
  type DataFrame,
  dateTime,
  FieldConfigSource,
  LoadingState,
  type PanelProps,
  toDataFrame,
} from '@grafana/data';
import { ThemeContext } from '@grafana/ui';
import { DEFAULT_OPTIONS } from './options';
import { SloPanel } from './SloPanel';
import { complianceFrame, type StatusRow, statusFrame } from './test-support/slo-frames';
import type { SloPanelOptions } from './types';

function props(
  series: DataFrame[],
  options: Partial<SloPanelOptions> = {},
  extra: Partial<PanelProps['data']> = {},
) {
  const now = dateTime(Date.UTC(2026, 1, 20));
  const p: PanelProps<SloPanelOptions> = {
    id: 1,
    data: {
      state: LoadingState.Done,
      series,
      timeRange: { from: now, to: now, raw: { from: 'now-6h', to: 'now' } },
      ...extra,
    },
    timeRange: { from: now, to: now, raw: { from: 'now-6h', to: 'now' } },
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, ...options },
    onOptionsChange: () => {},
    fieldConfig: { defaults: {}, overrides: [] } as FieldConfigSource,
    onFieldConfigChange: () => {},
    transparent: false,
    width: 800,
    height: 400,
    renderCounter: 0,
    title: 'SLOs',
    eventBus: {
      publish: () => {},
      getStream: () => ({ subscribe: () => ({ unsubscribe: () => {} }) }),
    } as never,
    replaceVariables: (s: string) => s,
    onChangeTimeRange: () => {},
  };
  return p;
}

const three: StatusRow[] = [
  { id: 'checkout', name: 'Checkout', budgetRemaining: 0.05, alert: 'page', exhaustionSeconds: 7200 },
  {
    id: 'search',
    name: 'Search',
    budgetRemaining: 0.6,
    alert: 'ok',
    exhaustionSeconds: null,
    burn: { '1h': 0.2 },
  },
  { id: 'login', name: 'Login', budgetRemaining: 0.2, alert: 'ticket' },
];

describe('cards layout', () => {
  it('draws one card per SLO, worst budget first, with SLI, budget, burn rates, alert and exhaustion', () => {
    render(<SloPanel {...props([statusFrame(three)])} />);
    const cards = screen.getAllByTestId('slo-card');
    expect(cards.map((c) => c.getAttribute('aria-label'))).toEqual(['Checkout', 'Login', 'Search']);
    const checkout = within(cards[0]!);
    expect(checkout.getByTestId('slo-alert')).toHaveTextContent('PAGE');
    expect(checkout.getByTestId('slo-budget-bar')).toHaveAttribute('data-level', 'critical');
    expect(checkout.getByText('5.0% budget left')).toBeInTheDocument();
    expect(checkout.getByTestId('slo-exhaustion')).toHaveTextContent('exhausted in 2h');
    expect(checkout.getByTestId('slo-burn-rates')).toHaveTextContent('5m');
    expect(checkout.getByTestId('slo-burndown')).toBeInTheDocument();
    expect(checkout.getByRole('link', { name: 'Checkout' })).toHaveAttribute(
      'href',
      '/a/opsdeck-sre-app/slos/checkout',
    );
    expect(within(cards[1]!).getByTestId('slo-budget-bar')).toHaveAttribute('data-level', 'warning');
    expect(within(cards[2]!).getByTestId('slo-exhaustion')).toHaveTextContent('not burning');
  });

  it('shows a gauge instead of a bar and hides burn rates and burn-down when the options say so', () => {
    render(
      <SloPanel
        {...props([statusFrame(three)], {
          budgetDisplay: 'gauge',
          showBurnRates: false,
          showBurndown: false,
        })}
      />,
    );
    expect(screen.getAllByTestId('slo-budget-gauge')).toHaveLength(3);
    expect(screen.queryByTestId('slo-budget-bar')).not.toBeInTheDocument();
    expect(screen.queryByTestId('slo-burn-rates')).not.toBeInTheDocument();
    expect(screen.queryByTestId('slo-burndown')).not.toBeInTheDocument();
  });

  it('moves the thresholds with the options', () => {
    render(
      <SloPanel
        {...props([statusFrame([{ id: 'a', budgetRemaining: 0.3 }])], {
          budgetWarning: 0.5,
          budgetCritical: 0.35,
        })}
      />,
    );
    expect(screen.getByTestId('slo-budget-bar')).toHaveAttribute('data-level', 'critical');
  });
});

describe('table layout', () => {
  it('shows every SLO of a small set on one page, with burn-rate columns', () => {
    render(<SloPanel {...props([statusFrame(three)], { layout: 'table' })} />);
    const table = screen.getByTestId('slo-table');
    expect(within(table).getAllByTestId('slo-table-row')).toHaveLength(3);
    expect(within(table).getByRole('columnheader', { name: '1h' })).toBeInTheDocument();
    expect(within(table).getByText('0.20×')).toBeInTheDocument();
    expect(screen.queryByText(/of 3 SLOs/)).not.toBeInTheDocument();
  });

  it('pages 200 SLOs to the panel height and walks through them', async () => {
    const many = Array.from({ length: 200 }, (_, i) => ({
      id: `slo-${String(i).padStart(3, '0')}`,
      budgetRemaining: i / 200,
    }));
    render(<SloPanel {...props([statusFrame(many)], { layout: 'table' }, {})} height={392} />);
    // (392 − 72) / 32 = 10 rows a page
    expect(screen.getAllByTestId('slo-table-row')).toHaveLength(10);
    expect(screen.getByText('1–10 of 200 SLOs')).toBeInTheDocument();
    expect(screen.getAllByTestId('slo-table-row')[0]).toHaveTextContent('slo-000');
    await userEvent.click(screen.getByRole('button', { name: '2' }));
    expect(screen.getByText('11–20 of 200 SLOs')).toBeInTheDocument();
    expect(screen.getAllByTestId('slo-table-row')[0]).toHaveTextContent('slo-010');
  });
});

describe('single layout', () => {
  it('shows the chosen SLO large', () => {
    render(<SloPanel {...props([statusFrame(three)], { layout: 'single', sloId: 'search' })} />);
    expect(screen.getAllByTestId('slo-card')).toHaveLength(1);
    expect(screen.getByTestId('slo-card')).toHaveAttribute('aria-label', 'Search');
  });

  it('falls back to the SLO with the least budget when none is chosen or the id is unknown', () => {
    render(<SloPanel {...props([statusFrame(three)], { layout: 'single', sloId: 'gone' })} />);
    expect(screen.getByTestId('slo-card')).toHaveAttribute('aria-label', 'Checkout');
  });
});

describe('states', () => {
  it('shows loading before the first rows arrive', () => {
    render(<SloPanel {...props([], {}, { state: LoadingState.Loading })} />);
    expect(screen.getByText('Loading SLOs…')).toBeInTheDocument();
  });

  it('shows the query error when no rows came back', () => {
    const error = { message: 'Prometheus at http://prom:9090 is unreachable', refId: 'A' };
    render(<SloPanel {...props([], {}, { state: LoadingState.Error, errors: [error], error })} />);
    expect(screen.getByText('SLOs could not be loaded')).toBeInTheDocument();
    expect(screen.getByText(error.message)).toBeInTheDocument();
  });

  it('keeps showing rows when one SLO failed beside them', () => {
    const error = { message: '1 SLO(s) could not be evaluated', refId: 'A' };
    render(<SloPanel {...props([statusFrame(three)], {}, { state: LoadingState.Error, errors: [error] })} />);
    expect(screen.getAllByTestId('slo-card')).toHaveLength(3);
  });

  it('explains an empty result, also when the frames are not SLO status frames', () => {
    const other = toDataFrame({ fields: [{ name: 'time', values: [1] }] });
    render(<SloPanel {...props([other])} />);
    expect(screen.getByTestId('slo-empty')).toHaveTextContent('SLO status');
  });

  it('renders a single SLO as readably as two hundred', () => {
    render(<SloPanel {...props([statusFrame([three[0]!])])} />);
    expect(screen.getAllByTestId('slo-card')).toHaveLength(1);
  });
});

describe('theme', () => {
  it.each(['light', 'dark'] as const)('takes its colours from the %s theme', (mode) => {
    const theme = createTheme({ colors: { mode } });
    render(
      <ThemeContext.Provider value={theme}>
        <SloPanel {...props([statusFrame([{ id: 'a', budgetRemaining: 0.9, alert: 'page' }])])} />
      </ThemeContext.Provider>,
    );
    const fill = screen.getByTestId('slo-budget-bar').querySelector('[role="meter"] > div') as HTMLElement;
    expect(fill.style.background).toBe(toRgb(theme.colors.success.main));
    expect(screen.getByTestId('slo-alert').style.color).toBe(toRgb(theme.colors.error.main));
  });
});

/** jsdom reports inline colours as rgb(); the theme writes hex or rgb. */
function toRgb(color: string): string {
  const el = document.createElement('div');
  el.style.color = color;
  return el.style.color;
}

describe('compliance-history layout', () => {
  const history = complianceFrame([
    {
      period: '2026-01',
      start: Date.UTC(2026, 0, 1),
      id: 'checkout',
      name: 'Checkout',
      sli: 0.998,
      met: false,
    },
    {
      period: '2026-02',
      start: Date.UTC(2026, 1, 1),
      id: 'checkout',
      name: 'Checkout',
      sli: 0.9995,
      met: true,
    },
    {
      period: '2026-03',
      start: Date.UTC(2026, 2, 1),
      id: 'checkout',
      name: 'Checkout',
      sli: 0.9999,
      met: true,
      complete: false,
    },
  ]);

  it('shows one cell per period, met or missed, and how many finished periods were met', () => {
    render(<SloPanel {...props([history], { layout: 'history' })} />);
    const table = screen.getByTestId('slo-compliance-history');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['SLO', '2026-01', '2026-02', '2026-03', 'Met']);
    expect(within(table).getByLabelText('2026-01 missed')).toHaveTextContent('99.800%');
    expect(within(table).getByLabelText('2026-02 met')).toBeInTheDocument();
    // the running period is on track, not yet met
    expect(within(table).getByLabelText('2026-03 on track')).toBeInTheDocument();
    expect(within(table).getByText('1/2')).toBeInTheDocument();
  });

  it('asks for the compliance kind when the data has none', () => {
    render(<SloPanel {...props([], { layout: 'history' })} />);
    expect(screen.getByTestId('slo-empty')).toHaveTextContent('“SLO compliance” kind');
  });
});
