// `opsdeck rules` and `opsdeck import`: SLO rule generation from provisioning files and conversion
// of OpenSLO, Sloth and Pyrra files, both through the same common code the HTTP API uses.
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import {
  IMPORT_FORMATS,
  importSlos,
  sloRulesYaml,
  type ImportFormat,
  type ImportProblem,
  type SloSpec,
} from '@opsdeck/common';
import type { Subcommand } from '../cli-subcommand';
import { appUrlFromEnv } from '../config';

const formatProblem = (p: ImportProblem, file?: string) =>
  `${file ? `${file}: ` : ''}${p.document}: ${p.field}: ${p.message}`;

/** Every SLO in `dir`/slos/*.yaml|yml, or the problems that stop the set from being used. */
export async function readProvisionedSlos(dir: string): Promise<{ slos: SloSpec[]; problems: string[] }> {
  const folder = join(dir, 'slos');
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (error) {
    return { slos: [], problems: [`${folder}: ${(error as Error).message}`] };
  }
  const slos: SloSpec[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = join(folder, name);
    const result = importSlos(await readFile(file, 'utf8'), 'opsdeck');
    problems.push(...result.problems.map((p) => formatProblem(p, file)));
    for (const slo of result.slos) {
      const first = seen.get(slo.id);
      if (first) problems.push(`${file}: SLO id "${slo.id}" is also defined in ${first}`);
      else {
        seen.set(slo.id, file);
        slos.push(slo);
      }
    }
  }
  return { slos, problems };
}

export const rulesCommand: Subcommand = {
  usage: 'rules [--dir DIR]',
  summary:
    'print Prometheus recording and alerting rules (YAML) for the SLOs in DIR/slos (default $OPSDECK_PROVISIONING_DIR or ./provisioning)',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { dir: { type: 'string' } }, strict: true });
    const dir = resolve(io.cwd, values.dir ?? io.env.OPSDECK_PROVISIONING_DIR ?? 'provisioning');
    const { slos, problems } = await readProvisionedSlos(dir);
    if (problems.length > 0) {
      io.stderr(`${problems.join('\n')}\n`);
      return 1;
    }
    io.stdout(sloRulesYaml(slos, { appUrl: appUrlFromEnv(io.env) }));
    return 0;
  },
};

export const importCommand: Subcommand = {
  usage: `import FILE|- [--format ${IMPORT_FORMATS.filter((f) => f !== 'opsdeck').join('|')}]`,
  summary:
    'convert OpenSLO, Sloth or Pyrra SLO YAML (format detected per document unless given) into opsdeck SLO YAML',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { format: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const [file] = positionals;
    if (!file || positionals.length > 1) {
      io.stderr(`usage: opsdeck ${this.usage}\n`);
      return 2;
    }
    const format = values.format as ImportFormat | undefined;
    if (format !== undefined && !IMPORT_FORMATS.includes(format)) {
      io.stderr(`--format must be one of ${IMPORT_FORMATS.join(', ')}\n`);
      return 2;
    }
    const text = file === '-' ? await io.readStdin() : await readFile(resolve(io.cwd, file), 'utf8');
    const { slos, problems } = importSlos(text, format);
    if (problems.length > 0) {
      io.stderr(`${problems.map((p) => formatProblem(p, file)).join('\n')}\n`);
      return 1;
    }
    io.stdout(slos.map((s) => stringify(s, { lineWidth: 0 })).join('---\n'));
    return 0;
  },
};
