// The install step the stack and the test suite share (.ci/debian-packages), run for real: installed
// programs need nothing, and a user without root gets the exact apt-get line and, for the stack, a
// start without the missing packages.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { STACK_PACKAGES, installLine } from '../../scripts/stack';

const script = join(__dirname, '..', '..', '.ci', 'debian-packages');
/** Runs the script as an unprivileged user (nobody) when the tests run as root. */
const asUser = (args: string[]) => {
  const command =
    process.getuid?.() === 0
      ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'bash', script]
      : ['bash', script];
  return spawnSync(command[0]!, [...command.slice(1), ...args], { encoding: 'utf8' });
};

it('does nothing when every program is there, on PATH or by absolute path', () => {
  const result = spawnSync('bash', [script, 'prometheus:prometheus', 'prometheus:/usr/bin/promtool'], {
    encoding: 'utf8',
  });
  expect([result.status, result.stdout, result.stderr]).toEqual([0, '', '']);
});

it('without root prints the install line of the missing packages, once each', () => {
  const result = asUser([
    'opsdeck-missing-a:opsdeck-no-such-program',
    'prometheus:prometheus',
    'opsdeck-missing-a:/opsdeck/no/such/path',
    'opsdeck-missing-b:opsdeck-no-such-program-b',
  ]);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('sudo apt-get install -y opsdeck-missing-a opsdeck-missing-b\n');
});

it('with --best-effort lets the caller go on without them', () => {
  const result = asUser(['--best-effort', 'opsdeck-missing-a:opsdeck-no-such-program']);
  expect(result.status).toBe(0);
  expect(result.stderr).toContain('sudo apt-get install -y opsdeck-missing-a');
});

it("names the stack's Debian packages in the line the banner prints", () => {
  expect(STACK_PACKAGES.map((p) => p.package)).toEqual(['prometheus', 'prometheus-alertmanager']);
  expect(installLine(['prometheus', 'alertmanager'])).toBe(
    'sudo apt-get install -y prometheus prometheus-alertmanager',
  );
  expect(installLine(['alertmanager'])).toBe('sudo apt-get install -y prometheus-alertmanager');
});
