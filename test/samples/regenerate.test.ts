import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSample, SCENARIOS, sampleFileName } from '../../src/samples/generate.js';

const samplesDir = join(import.meta.dirname, '../../samples');

describe('committed samples', () => {
  let tmp = '';
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  for (const name of SCENARIOS) {
    it(`${name} is reproduced byte for byte`, async () => {
      tmp ||= await mkdtemp(join(tmpdir(), 'samples-test-'));
      const written = await generateSample(name, tmp);
      const [fresh, committed] = await Promise.all([readFile(written), readFile(join(samplesDir, sampleFileName(name)))]);
      expect(fresh.length).toBe(committed.length);
      expect(fresh.equals(committed)).toBe(true);
    });
  }

  it('stay small enough to commit (≤ 3 MB each)', async () => {
    for (const name of SCENARIOS) {
      const data = await readFile(join(samplesDir, sampleFileName(name)));
      expect(data.length).toBeLessThanOrEqual(3 * 1024 * 1024);
    }
  });
});
