import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The tool's private temporary folders (nested node zips, the sort runs of `events`; hundreds of MB at times) are
 * named after the process, so that the main thread can remove them however the process ends: its worker threads'
 * folders too, and those of a command cut short by a closed pipe (`events … | head`) or a signal.
 */
const prefix = (): string => `harvester-postmortem-${process.pid}-`;

/** What mkdtemp completes into a new private folder in os.tmpdir(); `kind` says what it holds. */
const template = (kind: string): string => join(tmpdir(), `${prefix()}${kind}-`);

export const makeTempDir = (kind: string): Promise<string> => mkdtemp(template(kind));

export const makeTempDirSync = (kind: string): string => mkdtempSync(template(kind));

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Removes the process's folders when it exits (process.exit included) and on SIGINT, SIGTERM and SIGHUP, after which
 * the signal is raised again so that the process still ends by it. For the command's entry point, once.
 */
export function removeTempDirsOnExit(): void {
  process.on('exit', removeTempDirs);
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      removeTempDirs();
      process.kill(process.pid, signal);
    });
  }
}

function removeTempDirs(): void {
  const root = tmpdir();
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix())) rmSync(join(root, name), { recursive: true, force: true });
  }
}
