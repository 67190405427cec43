#!/usr/bin/env node
// The `opsdeck` command line. Each subcommand is one entry in COMMANDS (usage, summary, run); add
// yours there. Commands get their I/O passed in, so tests run them in-process.
import type { CliIo, Subcommand } from './cli-subcommand';
import { importCommand, rulesCommand } from './slo/cli-commands';

export const COMMANDS: Record<string, Subcommand> = {
  rules: rulesCommand,
  import: importCommand,
};

function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  opsdeck ${c.usage}\n      ${c.summary}`);
  return `usage:\n${lines.join('\n')}\n`;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    (name === undefined ? io.stderr : io.stdout)(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`unknown command "${name}"\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    // parseArgs and file reads explain themselves; a stack trace would not help here
    io.stderr(`opsdeck ${name}: ${(error as Error).message}\n`);
    return (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
}

if (require.main === module) {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    cwd: process.cwd(),
  };
  void runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
