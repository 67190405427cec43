// The provisioned maintenance windows pass every write-time check, and the guide's default is the guide's.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_HIGH_RISK_WINDOW, MaintenanceWindowCreate, Slug, windowProblem } from '@opsdeck/common';
import { parse } from 'yaml';
import { loadConfig } from '../src/config';

const dir = join(__dirname, '../../provisioning/maintenance-windows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

describe('provisioning/maintenance-windows', () => {
  it.each(files)('%s is a valid window', (file) => {
    const window = MaintenanceWindowCreate.extend({ id: Slug }).parse(
      parse(readFileSync(join(dir, file), 'utf8')),
    );
    // Narrow enough for an editor to have written, with the default look-ahead.
    const lookAheadMs = loadConfig({}).SILENCER_LOOKAHEAD_MINUTES * 60_000;
    expect(windowProblem(window, { lookAheadMs, mayBeBroad: false })).toBeNull();
  });

  it("ships the guide's default window", () => {
    const window = parse(readFileSync(join(dir, 'guide-default.yaml'), 'utf8'));
    const { timeZone, ...schedule } = DEFAULT_HIGH_RISK_WINDOW;
    expect(window.schedule).toEqual({ kind: 'weekly', ...schedule });
    expect(window.timeZone).toBe(timeZone);
    expect(window.enabled).toBe(true);
  });
});
