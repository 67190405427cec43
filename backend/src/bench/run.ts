// `npm run bench`: runs every benchmark (or those named on the command line), prints figures and ratios
// against baselines measured in the same run, and writes bench-results/report.{md,json}.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as alertStorm from './alert-storm';
import * as annotations from './annotations';
import type { BenchResult } from './result';
import * as silencer from './silencer';
import * as sloStatus from './slo-status';
import * as soak from './soak';
import * as storeList from './store-list';

const BENCHES: Record<string, { run(): Promise<BenchResult[]> }> = {
  'store-list': storeList,
  annotations,
  silencer,
  'slo-status': sloStatus,
  'alert-storm': alertStorm,
  // Last: ten minutes by default (SOAK_SECONDS shortens it).
  soak,
};

const order = Object.keys(BENCHES);

/** The entries of an earlier report for benchmarks not run now; none when there is no readable report. */
function previous(file: string, running: string[]): BenchResult[] {
  try {
    const earlier = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResult[];
    return Array.isArray(earlier) ? earlier.filter((r) => r.bench && !running.includes(r.bench)) : [];
  } catch {
    return [];
  }
}

function markdown(results: BenchResult[]): string {
  const lines = [
    '# opsdeck benchmarks',
    '',
    `Written ${new Date().toISOString()} on ${process.platform}/${process.arch}, Node ${process.version}, ${os.cpus().length} cores; each benchmark below says when it ran.`,
    '',
    '| benchmark | target | ratio to baseline | result |',
    '|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.target} | ${r.ratio ?? '—'}${r.baseline ? ` (vs ${r.baseline.name})` : ''} | ${r.pass ? 'pass' : 'FAIL'} |`,
    ),
    '',
  ];
  for (const r of results) {
    lines.push(
      `## ${r.name}`,
      '',
      `Target: ${r.target} — **${r.pass ? 'pass' : 'FAIL'}**${r.ratio !== undefined ? ` (ratio ${r.ratio})` : ''}${r.at ? `; measured ${r.at}` : ''}`,
      '',
    );
    lines.push('| figure | value |', '|---|---|');
    for (const [k, v] of Object.entries(r.figures)) lines.push(`| ${k} | ${v} |`);
    if (r.baseline) {
      lines.push('', `Baseline: ${r.baseline.name}`, '', '| figure | value |', '|---|---|');
      for (const [k, v] of Object.entries(r.baseline.figures)) lines.push(`| ${k} | ${v} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(BENCHES);
  const results: BenchResult[] = [];
  for (const name of names) {
    const bench = BENCHES[name];
    if (!bench) throw new Error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
    process.stdout.write(`bench: ${name}…\n`);
    for (const r of await bench.run()) {
      r.bench = name;
      r.at = new Date().toISOString();
      results.push(r);
      process.stdout.write(
        `  ${r.pass ? 'pass' : 'FAIL'} ${r.name}: ${JSON.stringify(r.figures)}${r.ratio !== undefined ? ` ratio=${r.ratio}` : ''}\n`,
      );
    }
  }
  const out = path.resolve('bench-results');
  fs.mkdirSync(out, { recursive: true });
  // Running some benchmarks replaces their entries and keeps the others' latest, so the report always
  // covers every benchmark; each entry says when it was measured.
  const report = [...previous(path.join(out, 'report.json'), names), ...results].sort(
    (a, b) => order.indexOf(a.bench ?? '') - order.indexOf(b.bench ?? ''),
  );
  fs.writeFileSync(path.join(out, 'report.json'), JSON.stringify(report, null, 2));
  fs.writeFileSync(path.join(out, 'report.md'), markdown(report));
  process.stdout.write(`bench: report in ${path.join(out, 'report.md')}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
