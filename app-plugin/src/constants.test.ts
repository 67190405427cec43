import { SRE_APP_PATH, runbookSearchUrl } from '@opsdeck/common';
import { APP_BASE, pages } from './constants';

// Generated SLO alerts link the app without importing it: their path must be where the app's pages are.
describe('the app path generated alerts link', () => {
  it('is the app base of plugin.json', () => {
    expect(SRE_APP_PATH).toBe(APP_BASE);
  });

  it('is the runbooks page with the service the runbook drawer reads (rbService)', () => {
    expect(runbookSearchUrl(`http://grafana${APP_BASE}`, 'api')).toBe(
      `http://grafana${pages.runbooks}?rbService=api`,
    );
  });
});
