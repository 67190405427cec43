// The plugin tests run twice: on the root's @grafana/* 13.1 with React 18, and on .config/grafana-13.2
// (@grafana/* 13.2 with React 19, as Grafana 13.2+ runs plugins). This pins each project to its runtime.
import React from 'react';
import { version as reactDomVersion } from 'react-dom';

declare const GRAFANA_RUNTIME: '13.1' | '13.2';

describe(`Grafana runtime ${GRAFANA_RUNTIME}`, () => {
  const second = GRAFANA_RUNTIME === '13.2';

  it('renders with the React that Grafana version runs', () => {
    expect(React.version.split('.')[0]).toBe(second ? '19' : '18');
    expect(reactDomVersion.split('.')[0]).toBe(second ? '19' : '18');
  });

  it("takes Grafana's shared packages from that runtime", () => {
    for (const name of ['@grafana/data', '@grafana/ui', '@grafana/runtime', 'rxjs']) {
      const file = require.resolve(name);
      expect({ name, second: file.includes('/.config/grafana-13.2/') }).toEqual({ name, second });
    }
  });
});
