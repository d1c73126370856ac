import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output, no colour, a fixed clock. */
export async function runCli(args: string[], options: { color?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stdoutBytes: async (bytes) => {
      stdout += bytes.toString('utf8');
    },
    stderr: (text) => {
      stderr += text;
    },
    color: options.color ?? false,
    stderrIsTty: false,
    now: () => Date.parse('2026-01-01T00:00:00Z'),
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
