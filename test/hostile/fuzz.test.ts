import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarBuffer, zipBuffer } from '../bundle/helpers.js';
import { runCli } from '../cli/cli-helpers.js';
import { bundleEntries, bundleZip, INTACT_LINES, nodeEntries, NOW, PATHS, scratch, tarHeaders, zipLayout } from './hostile-fixture.js';

/**
 * A seeded mutation fuzzer over a small bundle in the real layout (zip with a stored or a deflated node zip, and a tar
 * re-pack): truncations, bit flips, zeroed ranges and spliced bytes. Each case runs the CLI in-process and must end
 * with exit code 0, 1 or 2, no internal error, a Coverage entry whenever a member's lines differ from the intact
 * bundle's, and, for truncations, every member whose bytes lie wholly before the cut read in full.
 * FUZZ_SEED=<n> replays another sequence; a failure names its seed, case and mutation.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20250614);

/** mulberry32: small, fast, and the same sequence on every machine. */
function prng(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

interface Base {
  name: string;
  ext: string;
  data: Buffer;
  /** Where each log member's bytes end in the input, for the members a truncation must leave readable. */
  ends: Record<string, number>;
}

type Mutation = { kind: string; apply: (data: Buffer) => Buffer; truncatedAt: number | null };

function mutation(random: (below: number) => number, data: Buffer): Mutation {
  const at = random(data.length);
  switch (random(5)) {
    case 0:
    case 1:
      return { kind: `truncate at ${at}`, apply: (d) => d.subarray(0, at), truncatedAt: at };
    case 2: {
      const flips = Array.from({ length: 1 + random(8) }, () => [random(data.length), 1 << random(8)] as const);
      return {
        kind: `flip ${flips.map(([offset, bit]) => `${offset}^${bit}`).join(',')}`,
        apply: (d) => {
          const out = Buffer.from(d);
          for (const [offset, bit] of flips) out[offset] ^= bit;
          return out;
        },
        truncatedAt: null,
      };
    }
    case 3: {
      const length = 1 + random(512);
      return { kind: `zero ${at}+${length}`, apply: (d) => Buffer.from(d).fill(0, at, Math.min(d.length, at + length)), truncatedAt: null };
    }
    default: {
      const from = random(data.length);
      const length = 1 + random(1024);
      return {
        kind: `splice ${from}+${length} into ${at}`,
        apply: (d) => Buffer.concat([d.subarray(0, at), d.subarray(from, from + length), d.subarray(at)]),
        truncatedAt: null,
      };
    }
  }
}

const INTACT: Record<string, number> = INTACT_LINES;
const LOG_MEMBERS = Object.keys(INTACT);
const files = scratch('fuzz');
afterAll(files.remove);
const bases: Base[] = [];

beforeAll(async () => {
  const stored = await bundleZip();
  const node = zipBuffer(nodeEntries());
  const storedNode = zipLayout(stored).entries.find((e) => e.name.endsWith(PATHS.nodeZip))!;
  const inner = zipLayout(await node).entries;
  const topEnds = (zip: Buffer): Record<string, number> =>
    Object.fromEntries(zipLayout(zip).entries.filter((e) => LOG_MEMBERS.some((m) => e.name.endsWith(`/${m}`))).map((e) => [LOG_MEMBERS.find((m) => e.name.endsWith(`/${m}`))!, e.dataEnd]));
  const nodeEnds = (start: number): Record<string, number> =>
    Object.fromEntries(inner.filter((e) => e.name.includes('/logs/')).map((e) => [`${PATHS.nodeZip}!/${e.name}`, start + e.dataEnd]));
  bases.push({ name: 'zip, stored node zip', ext: 'zip', data: stored, ends: { ...topEnds(stored), ...nodeEnds(storedNode.dataStart) } });
  const deflated = await bundleZip({ nodeZipCompressed: true });
  bases.push({ name: 'zip, deflated node zip', ext: 'zip', data: deflated, ends: topEnds(deflated) });
  const tar = await tarBuffer(await bundleEntries());
  const headers = tarHeaders(tar);
  const tarNode = headers.find((h) => h.name.endsWith('.zip'))!;
  const tarEnds = Object.fromEntries(
    headers.flatMap((h, i) => {
      const member = LOG_MEMBERS.find((m) => h.name.endsWith(m.slice(m.lastIndexOf('/'))) && !m.includes('!'));
      return member ? [[member, (headers[i + 1]?.offset ?? tar.length) - 1]] : [];
    }),
  );
  bases.push({ name: 'tar', ext: 'tar', data: tar, ends: { ...tarEnds, ...nodeEnds(tarNode.offset + 512) } });
});

interface Outcome {
  code: number;
  problems: string[];
  lines: Map<string, number>;
}

async function run(input: string): Promise<Outcome> {
  const analysis = await runCli([input, '-f', 'json', '--now', NOW]);
  const events = await runCli(['events', input]);
  for (const r of [analysis, events]) {
    expect(r.stderr, 'internal error').not.toMatch(/internal error/);
    expect([0, 1, 2], 'exit code').toContain(r.code);
  }
  const coverage = (JSON.parse(analysis.stdout) as { coverage: { unreadable: { file: string; reason: string }[]; limitsHit: { limit: string }[] } }).coverage;
  const lines = new Map<string, number>();
  for (const line of events.stdout.split('\n')) {
    if (line !== '') {
      const file = (JSON.parse(line) as { file: string }).file;
      lines.set(file, (lines.get(file) ?? 0) + 1);
    }
  }
  return { code: analysis.code, problems: [...coverage.unreadable.map((u) => `${u.file}: ${u.reason}`), ...coverage.limitsHit.map((l) => l.limit)], lines };
}

/** How many cases of each base: about 120 in all, a few seconds on two cores. */
const CASES: Record<string, number> = { 'zip, stored node zip': 60, 'zip, deflated node zip': 30, tar: 30 };

describe(`seeded mutation fuzzing (FUZZ_SEED=${SEED})`, () => {
  it('every mutated bundle is analysed; what cannot be read is in Coverage; members before a cut are read', async () => {
    const random = prng(SEED);
    let index = 0;
    for (const base of bases) {
      for (let i = 0; i < CASES[base.name]; i++) {
        const m = mutation(random, base.data);
        const label = `FUZZ_SEED=${SEED} case ${++index} (${base.name}, ${m.kind})`;
        const input = files.write(`case-${index}.${base.ext}`, m.apply(base.data));
        let outcome: Outcome;
        try {
          outcome = await run(input);
        } catch (error) {
          throw new Error(`${label}: ${(error as Error).stack ?? String(error)}`);
        }
        const changed = LOG_MEMBERS.filter((file) => outcome.lines.get(file) !== INTACT[file]);
        const renamed = [...outcome.lines.keys()].some((file) => !LOG_MEMBERS.includes(file));
        if (changed.length > 0 && !renamed) expect(outcome.problems, `${label}: ${changed.join(', ')} changed without a Coverage entry`).not.toEqual([]);
        if (m.truncatedAt !== null) {
          for (const [file, end] of Object.entries(base.ends)) {
            if (end <= m.truncatedAt) expect(outcome.lines.get(file), `${label}: ${file} lies before the cut`).toBe(INTACT[file]);
          }
        }
      }
    }
    expect(index).toBe(120);
  });
});
