import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../dist/bin/harvester-postmortem.js');
const dir = mkdtempSync(join(tmpdir(), 'hp-test-temp-dirs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// enough lines for `events` to spill sort runs (32 MiB of records) to a temporary folder
const log = join(dir, 'kubelet.log');
const text = 'Failed to sync pod, will retry: '.padEnd(250, 'x');
const time = (i: number): string => `${String(Math.floor(i / 6000) % 60).padStart(2, '0')}:${String(Math.floor(i / 100) % 60).padStart(2, '0')}`;
writeFileSync(log, Array.from({ length: 120_000 }, (_, i) => `E0614 09:${time(i)}.${String(i % 100).padStart(6, '0')}    1234 pod_workers.go:${i}] ${text}\n`).join(''));

const leftovers = (pid: number): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith(`harvester-postmortem-${pid}-`));

/** `events` on the log with a pipe nobody reads: once its output fills the pipe it waits, its sort runs on disk. */
async function eventsWaitingOnItsReader(): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, [BIN, 'events', log], { stdio: ['ignore', 'pipe', 'ignore'] });
  const pid = child.pid!;
  for (let tries = 0; leftovers(pid).length === 0; tries++) {
    if (tries > 600 || child.exitCode !== null) throw new Error('events never spilled its sort runs');
    await new Promise((done) => setTimeout(done, 50));
  }
  return Object.assign(child, { pid });
}

describe('temporary folders', () => {
  it('are removed when the reader of the output goes away (`events … | head`)', async () => {
    const child = await eventsWaitingOnItsReader();
    const exited = once(child, 'exit');
    child.stdout!.destroy();
    const [code] = await exited;
    expect(code).toBe(0);
    expect(leftovers(child.pid)).toEqual([]);
  }, 60_000);

  it('are removed on SIGTERM, and the process still ends by the signal', async () => {
    const child = await eventsWaitingOnItsReader();
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    expect(leftovers(child.pid)).toEqual([]);
    child.stdout!.destroy();
  }, 60_000);
});
