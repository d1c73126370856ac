import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { UsageError } from '../bundle/errors.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_TOOL_ERROR = 2;

/** Where the CLI writes; injected so tests run main() in-process. */
export interface CliIo {
  stdout(text: string): void;
  /** Bulk output (`events`): resolves when stdout can take more, so a slow reader never makes it buffer gigabytes. */
  stdoutBytes(bytes: Buffer): Promise<void>;
  stderr(text: string): void;
  /** True when stdout is an interactive terminal and colour is allowed (NO_COLOR unset). */
  color: boolean;
  /** True when stderr is an interactive terminal (progress output). */
  stderrIsTty: boolean;
  /** The clock for reports when --now is not given. */
  now(): number;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stdoutBytes: async (bytes) => {
      if (!process.stdout.write(bytes)) await once(process.stdout, 'drain');
    },
    stderr: (text) => process.stderr.write(text),
    color: Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== ''),
    stderrIsTty: Boolean(process.stderr.isTTY),
    now: () => Date.now(),
  };
}

/** Writes a rendered report to -o FILE, or stdout. */
export async function emit(text: string, output: string | undefined, io: CliIo): Promise<void> {
  if (output === undefined || output === '-') {
    io.stdout(text);
    return;
  }
  try {
    await writeFile(output, text);
  } catch (error) {
    throw new UsageError(`cannot write ${output}: ${(error as Error).message}`);
  }
}
