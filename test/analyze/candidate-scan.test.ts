import { describe, expect, it } from 'vitest';
import { scanBundle } from '../../src/analyze/scan-bundle.js';
import { DEFAULT_LIMITS } from '../../src/bundle/types.js';
import type { LogEvent } from '../../src/formats/types.js';

const SAMPLES = ['samples/upgrade-v1.4.2-to-v1.5.0-incident.zip', 'samples/upgrade-v1.4.2-to-v1.5.0-incident-upgradelog.zip'];
/** Common enough in the samples that many lines are candidates, rare enough that most are skipped. */
const LITERALS = ['level=error', 'Killing', 'E06', 'W06', '-- Boot', 'panic', 'Reaped', 'evicting pod'];

async function scan(path: string, candidates: boolean) {
  const events = new Map<string, LogEvent>();
  const starts: string[] = [];
  const result = await scanBundle(path, {
    zone: 'UTC',
    limits: DEFAULT_LIMITS,
    objects: false,
    candidates: candidates ? LITERALS : undefined,
    sink: {
      event: (e) => events.set(`${e.file}:${e.line}`, e),
      fileStart: (e) => starts.push(`${e.file}:${e.line}`),
    },
  });
  return { events, starts, result };
}

describe('scanning candidate lines only', () => {
  for (const path of SAMPLES) {
    it(`${path}: every line it parses is parsed as a full scan parses it, inherited times included`, async () => {
      const all = await scan(path, false);
      const some = await scan(path, true);
      expect(some.events.size).toBeLessThan(all.events.size * 0.75);
      for (const [at, event] of some.events) expect(event, at).toEqual(all.events.get(at));
      const wanted = [...all.events].filter(([, e]) => LITERALS.some((l) => e.raw.includes(l))).map(([at]) => at);
      expect(wanted.length).toBeGreaterThan(100);
      for (const at of wanted) expect(some.events.has(at), at).toBe(true);
      expect(some.starts).toEqual(all.starts);
      expect(some.result.coverage.lines).toBe(all.result.coverage.lines);
      expect(some.result.coverage.linesParsed).toBe(some.events.size);
      expect(all.result.coverage.linesParsed).toBe(all.result.coverage.lines);
      expect(some.result.files.map((f) => [f.file, f.lines, f.firstTime, f.lastTime])).toEqual(
        all.result.files.map((f) => [f.file, f.lines, f.firstTime, f.lastTime]),
      );
    });
  }
});
