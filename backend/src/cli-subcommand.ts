// What an `opsdeck` subcommand is (backend/src/cli.ts lists them): its usage, summary and run, with
// its I/O passed in so tests run it in-process.
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface Subcommand {
  /** arguments after the subcommand name, e.g. `rules [--dir DIR]` */
  usage: string;
  summary: string;
  /** the exit code: 0 done, 1 the input was wrong, 2 the command line was wrong */
  run(args: string[], io: CliIo): Promise<number>;
}
