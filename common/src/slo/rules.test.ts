import { SloCreate } from './spec';
import {
  SLO_ALERT_NAME,
  runbookSearchUrl,
  sloRuleFile,
  sloRulesDocument,
  sloRuleGroup,
  sloRuleGroups,
  sloRulesYaml,
  sloWindowRuleGroup,
  templateLiteral,
  type AlertingRule,
} from './rules';

const availability = SloCreate.parse({
  id: 'api-availability',
  name: 'API availability',
  service: 'api',
  objective: 99.9,
  window: 'month',
  minEvents: 100,
  labels: { team: 'core' },
  runbookUrl: 'http://localhost:3000/a/opsdeck-sre-app/runbooks/api-elevated-errors',
  indicator: {
    kind: 'ratio',
    errors: 'http_requests_total{service="api",code=~"5.."}',
    total: 'http_requests_total{service="api"}',
  },
});

const alerts = (rules: ReturnType<typeof sloRuleGroup>['rules']) =>
  rules.filter((r): r is AlertingRule => 'alert' in r);

describe('sloRuleGroup', () => {
  test('ratio SLO: objective, recordings, then four guarded MWMBR alerts', () => {
    const e = 'http_requests_total{service="api",code=~"5.."}';
    const t = 'http_requests_total{service="api"}';
    const raw = (w: string) =>
      `(sum(increase(${e}[${w}])) or 0 * sum(increase(${t}[${w}]))) / sum(increase(${t}[${w}]))`;
    const summed = (w: string) =>
      `sum_over_time(slo:errors:increase5m{slo="api-availability"}[${w}]) / sum_over_time(slo:total:increase5m{slo="api-availability"}[${w}])`;
    const labels = { slo: 'api-availability', service: 'api' };
    const alert = (
      tier: 'page' | 'ticket',
      long: string,
      short: string,
      threshold: number,
      factor: number,
      forDuration: string,
      pct: string,
      guard: string,
      exhaustion: string,
    ) => ({
      alert: 'SloErrorBudgetBurn',
      expr: `slo:sli_error:ratio_rate${long}{slo="api-availability"} > ${threshold} and slo:sli_error:ratio_rate${short}{slo="api-availability"} > ${threshold}${guard} unless on() max_over_time(opsdeck_slo_excluded{slo="api-availability"}[${short}]) > 0`,
      for: forDuration,
      labels: {
        team: 'core',
        slo: 'api-availability',
        service: 'api',
        severity: tier === 'page' ? 'S2' : 'S3',
        slo_tier: tier,
        long,
        short,
      },
      annotations: {
        summary: `API availability: error budget burning ${factor}x too fast`,
        description: `The error ratio of SLO api-availability (api) over ${long} is {{ $value | humanizePercentage }} and stays above ${pct} over ${short}, a burn rate above ${factor}x (the 99.9% objective allows 0.1%). At this rate the month error budget is gone in ${exhaustion}.`,
        runbook_url: 'http://localhost:3000/a/opsdeck-sre-app/runbooks/api-elevated-errors',
      },
    });
    expect(sloRuleGroup(availability)).toEqual({
      name: 'opsdeck-slo-api-availability',
      interval: '1m',
      rules: [
        { record: 'slo:objective:ratio', expr: 'vector(0.999)', labels },
        {
          record: 'slo:errors:increase5m',
          expr: `sum(increase(${e}[5m])) or 0 * sum(increase(${t}[5m]))`,
          labels,
        },
        { record: 'slo:total:increase5m', expr: `sum(increase(${t}[5m]))`, labels },
        { record: 'slo:total:increase30m', expr: `sum(increase(${t}[30m]))`, labels },
        {
          record: 'slo:sli_error:ratio_rate5m',
          expr: 'slo:errors:increase5m{slo="api-availability"} / slo:total:increase5m{slo="api-availability"}',
          labels,
        },
        { record: 'slo:sli_error:ratio_rate30m', expr: raw('30m'), labels },
        { record: 'slo:sli_error:ratio_rate1h', expr: raw('1h'), labels },
        { record: 'slo:sli_error:ratio_rate2h', expr: raw('2h'), labels },
        { record: 'slo:sli_error:ratio_rate6h', expr: raw('6h'), labels },
        { record: 'slo:sli_error:ratio_rate1d', expr: summed('1d'), labels },
        { record: 'slo:sli_error:ratio_rate3d', expr: summed('3d'), labels },
        alert(
          'page',
          '1h',
          '5m',
          0.0144,
          14.4,
          '2m',
          '1.44%',
          ' and slo:total:increase5m{slo="api-availability"} >= 100',
          '2d2h',
        ),
        alert(
          'page',
          '6h',
          '30m',
          0.006,
          6,
          '15m',
          '0.6%',
          ' and slo:total:increase30m{slo="api-availability"} >= 100',
          '5d',
        ),
        alert('ticket', '1d', '2h', 0.003, 3, '1h', '0.3%', '', '10d'),
        alert('ticket', '3d', '6h', 0.001, 1, '3h', '0.1%', '', '30d'),
      ],
    });
  });

  test('grouped by service: each series keeps its own service label, summary names the group', () => {
    const group = sloRuleGroup(
      SloCreate.parse({
        id: 'http-5xx',
        name: '5xx rate',
        service: 'platform',
        objective: 99,
        groupBy: ['service'],
        indicator: {
          kind: 'ratio',
          errors: 'http_requests_total{code=~"5.."}',
          total: 'http_requests_total',
        },
      }),
    );
    expect(group.rules.every((r) => r.labels.service === undefined)).toBe(true);
    const [page] = alerts(group.rules);
    expect(page?.expr).toBe(
      'slo:sli_error:ratio_rate1h{slo="http-5xx"} > 0.144 and slo:sli_error:ratio_rate5m{slo="http-5xx"} > 0.144 unless on() max_over_time(opsdeck_slo_excluded{slo="http-5xx"}[5m]) > 0',
    );
    expect(page?.annotations.summary).toBe(
      '5xx rate: error budget burning 14.4x too fast (service={{ $labels.service }})',
    );
    expect(page?.annotations.runbook_url).toBe(
      'http://localhost:3000/a/opsdeck-sre-app/runbooks?rbService=platform',
    );
  });

  test.each([
    // objective, window -> [long, threshold] of the alerts kept
    [
      99.9,
      '28d',
      [
        ['1h', 0.01344],
        ['6h', 0.0056],
        ['1d', 0.0028],
        ['3d', 0.000933333333333],
      ],
    ],
    [
      95,
      '30d',
      [
        ['1h', 0.72],
        ['6h', 0.3],
        ['1d', 0.15],
        ['3d', 0.05],
      ],
    ],
    [
      75,
      '30d',
      [
        ['1d', 0.75],
        ['3d', 0.25],
      ],
    ],
    [
      50,
      'week',
      [
        ['6h', 0.7],
        ['1d', 0.35],
        ['3d', 0.116666666666],
      ],
    ],
  ] as const)('objective %p over %s keeps the alerts that can fire', (objective, window, kept) => {
    const slo = SloCreate.parse({ ...availability, objective, window, minEvents: 0 });
    expect(
      alerts(sloRuleGroup(slo).rules).map((a) => [
        a.labels.long,
        Number(a.expr.split(' > ')[1]?.split(' ')[0]),
      ]),
    ).toEqual(kept);
  });
});

describe('sloWindowRuleGroup', () => {
  test('rolling window: window counts and ratio in a slower group with the SLO labels', () => {
    const slo = SloCreate.parse({ ...availability, window: '30d' });
    const labels = { slo: 'api-availability', service: 'api' };
    const e5m = 'slo:errors:increase5m{slo="api-availability"}';
    const t5m = 'slo:total:increase5m{slo="api-availability"}';
    expect(sloWindowRuleGroup(slo)).toEqual({
      name: 'opsdeck-slo-api-availability:window',
      interval: '2m30s',
      rules: [
        { record: 'slo:errors:increase30d', expr: `sum_over_time(${e5m}[30d]) / 5`, labels },
        { record: 'slo:total:increase30d', expr: `sum_over_time(${t5m}[30d]) / 5`, labels },
        {
          record: 'slo:sli_error:ratio_rate30d',
          expr: `sum_over_time(${e5m}[30d]) / sum_over_time(${t5m}[30d])`,
          labels,
        },
      ],
    });
    expect(sloRuleGroups(slo).map((g) => g.name)).toEqual([
      'opsdeck-slo-api-availability',
      'opsdeck-slo-api-availability:window',
    ]);
  });

  test('calendar window: no window group, the main group alone', () => {
    expect(sloWindowRuleGroup(availability)).toBeNull();
    expect(sloRuleGroups(availability)).toEqual([sloRuleGroup(availability)]);
  });
});

describe('sloRulesYaml', () => {
  test('a group per SLO and one per rolling window, one-line expressions, no YAML aliases', () => {
    const lcp = SloCreate.parse({
      id: 'web-lcp',
      name: 'Web LCP p75',
      service: 'web',
      objective: 75,
      indicator: { kind: 'latency', metric: 'web_lcp_seconds', le: 2.5 },
    });
    const yaml = sloRulesYaml([availability, lcp]);
    expect(sloRuleFile([availability, lcp]).file.groups.map((g) => g.name)).toEqual([
      'opsdeck-slo-api-availability',
      'opsdeck-slo-web-lcp',
      'opsdeck-slo-web-lcp:window',
    ]);
    expect(yaml.startsWith('# Prometheus rules for 2 SLO(s), generated by opsdeck')).toBe(true);
    expect(yaml).not.toMatch(/[&*]a\d/);
    expect(yaml).toContain(
      '      - record: slo:sli_error:ratio_rate1h\n' +
        '        expr: (sum(increase(web_lcp_seconds_count[1h])) - sum(increase(web_lcp_seconds_bucket{le="2.5"}[1h]))) / sum(increase(web_lcp_seconds_count[1h]))\n' +
        '        labels:\n' +
        '          slo: web-lcp\n' +
        '          service: web\n',
    );
    expect(yaml).toContain(
      '  - name: opsdeck-slo-web-lcp:window\n' +
        '    interval: 2m30s\n' +
        '    rules:\n' +
        '      - record: slo:errors:increase30d\n' +
        '        expr: sum_over_time(slo:errors:increase5m{slo="web-lcp"}[30d]) / 5\n',
    );
    expect(yaml.match(new RegExp(`alert: ${SLO_ALERT_NAME}`, 'g'))).toHaveLength(6);
  });
});

describe('text that Prometheus expands as a template', () => {
  test.each([
    ['API availability', 'API availability'],
    ['{{ query "up" }}', '{{ "{" }}{{ "{" }} query "up" }}'],
    ['ends in {', 'ends in {{ "{" }}'],
    ['}} {{- $x -}}', '}} {{ "{" }}{{ "{" }}- $x -}}'],
  ])('templateLiteral(%j) = %j', (text, template) => {
    expect(templateLiteral(text)).toBe(template);
  });

  test('names and label values of alerts are template literals; recording labels stay as they are', () => {
    const slo = SloCreate.parse({
      ...availability,
      id: 'hostile',
      name: '{{ query "up" }} "quoted"\nnew line ✓',
      labels: { team: '{{ $labels.slo }}' },
    });
    const group = sloRuleGroup(slo);
    const [page] = alerts(group.rules);
    expect(page?.annotations.summary).toBe(
      '{{ "{" }}{{ "{" }} query "up" }} "quoted"\nnew line ✓: error budget burning 14.4x too fast',
    );
    expect(page?.labels.team).toBe('{{ "{" }}{{ "{" }} $labels.slo }}');
    expect(group.rules[0]!.labels).toEqual({ slo: 'hostile', service: 'api' });
  });
});

describe('severity and runbook of the generated alerts', () => {
  test('severities follow alerting; the tier stays in slo_tier', () => {
    const slo = SloCreate.parse({ ...availability, alerting: { pageSeverity: 'S1', ticketSeverity: 'S4' } });
    expect(alerts(sloRuleGroup(slo).rules).map((a) => [a.labels.severity, a.labels.slo_tier])).toEqual([
      ['S1', 'page'],
      ['S1', 'page'],
      ['S4', 'ticket'],
      ['S4', 'ticket'],
    ]);
  });

  test("without a runbookUrl (or with one that is not http(s)) alerts link the app's runbook search", () => {
    const options = { appUrl: 'https://grafana.example.com/sub/a/opsdeck-sre-app/' };
    for (const runbookUrl of [null, 'javascript:alert(1)']) {
      const [page] = alerts(sloRuleGroup({ ...availability, runbookUrl, service: 'api/v2' }, options).rules);
      expect(page?.annotations.runbook_url).toBe(
        'https://grafana.example.com/sub/a/opsdeck-sre-app/runbooks?rbService=api%2Fv2',
      );
    }
    expect(runbookSearchUrl('http://g/a/x', 'web')).toBe('http://g/a/x/runbooks?rbService=web');
  });
});

describe('one SLO that cannot become rules', () => {
  test('is left out with its field in a comment; the others keep their groups', () => {
    const stored = {
      ...availability,
      id: 'injected',
      indicator: { kind: 'ratio' as const, errors: 'x', total: 'x\n[1m]' },
    };
    const { yaml, skipped } = sloRulesDocument([stored, availability]);
    expect(skipped.map((s) => [s.id, s.error.field])).toEqual([['injected', 'indicator.total']]);
    expect(sloRuleFile([stored, availability]).file.groups.map((g) => g.name)).toEqual([
      'opsdeck-slo-api-availability',
    ]);
    const lines = yaml.split('\n');
    expect(lines[0]).toBe(
      '# Prometheus rules for 1 SLO(s), generated by opsdeck (opsdeck rules). Do not edit by hand.',
    );
    expect(lines[1]).toMatch(
      /^# skipped SLO injected: indicator\.total: a range \[\.\.\] is not allowed at position 1 \("x \[1m\]"\)/,
    );
    expect(lines[2]).toBe('groups:');
  });
});
