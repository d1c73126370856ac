import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanBundle } from '../../src/analyze/scan-bundle.js';
import { DEFAULT_LIMITS } from '../../src/bundle/types.js';
import { isDeliberateNoise } from '../../src/samples/noise-lines.js';

const SAMPLES = resolve(import.meta.dirname, '../../samples');
const samples = readdirSync(SAMPLES).filter((name) => name.endsWith('.zip')).sort();

/** Every member of every sample is read, and every line gets a time of its own unless it is deliberate noise. */
describe.each(samples)('%s', (sample) => {
  it('parses every line with a time, except the deliberate noise lines', async () => {
    const untimed: string[] = [];
    let lines = 0;
    const scan = await scanBundle(join(SAMPLES, sample), {
      zone: 'UTC',
      limits: DEFAULT_LIMITS,
      sink: {
        event(event) {
          lines++;
          const timed = event.timeSource !== 'inherited' && event.timeSource !== 'none';
          if (!timed && !isDeliberateNoise(event.file, event.raw)) untimed.push(`${event.file}:${event.line}: ${event.raw}`);
        },
      },
    });
    expect(scan.coverage.unreadable).toEqual([]);
    expect(lines).toBeGreaterThan(5000);
    expect(untimed.slice(0, 10)).toEqual([]);
  });
});
