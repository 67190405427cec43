// The escalation and page settings from the environment: defaults, parsing, and one clear line per mistake.
import { DEFAULT_ESCALATION_LADDER } from '@opsdeck/common';
import { appUrlOf, loadConfig } from '../src/config';

describe('escalation configuration', () => {
  test('defaults: page is S2, the ladder 10/20/30 minutes, every 30 s, links to a local Grafana', () => {
    const c = loadConfig({});
    expect(c.ALERTMANAGER_PAGE_SEVERITIES).toEqual({ page: 'S2' });
    expect(c.ESCALATION_LADDER_MINUTES).toEqual(DEFAULT_ESCALATION_LADDER);
    expect(c.ESCALATION_INTERVAL_SECONDS).toBe(30);
    expect(appUrlOf(c)).toBe('http://localhost:3000/a/opsdeck-sre-app');
  });

  test('parses a page map and a ladder', () => {
    const c = loadConfig({
      ALERTMANAGER_PAGE_SEVERITIES: 'critical:S1, page:S2',
      ESCALATION_LADDER_MINUTES: '8,15,45',
    });
    expect(c.ALERTMANAGER_PAGE_SEVERITIES).toEqual({ critical: 'S1', page: 'S2' });
    expect(c.ESCALATION_LADDER_MINUTES).toEqual({ L2: 8, EM: 15, Director: 45 });
  });

  test.each([
    [
      'ALERTMANAGER_PAGE_SEVERITIES',
      'critical:P1',
      '"critical:P1" must be label-value:S1 (S1, S2, S3 or S4)',
    ],
    ['ALERTMANAGER_PAGE_SEVERITIES', 'critical', '"critical" must be label-value:S1 (S1, S2, S3 or S4)'],
    ['ESCALATION_LADDER_MINUTES', '10,20', 'give three numbers of minutes after the page: L2,EM,Director'],
    ['ESCALATION_LADDER_MINUTES', '10,5,30', 'EM (5 min) must come after L2 (10 min)'],
    [
      'ESCALATION_LADDER_MINUTES',
      '4,20,30',
      'L2 (4 min) must come after the acknowledgement deadline (5 min)',
    ],
    ['ESCALATION_LADDER_MINUTES', '10,x,30', 'EM (NaN min) must come after L2 (10 min)'],
    ['OPSDECK_APP_URL', 'javascript:alert(1)', 'must be an http(s) URL'],
    ['ESCALATION_INTERVAL_SECONDS', '0', 'Too small: expected number to be >=0.05'],
  ])('%s=%s stops the start with one line naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(`invalid configuration: ${name}: ${message}`);
  });
});
