import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { loadRules } from '../analyze/load-rules.js';
import { createKeyEventCollector } from '../correlate/key-events.js';
import { createEngine } from '../rules/engine.js';

/**
 * `npm run bench`: a bundle-shaped corpus (the incident scenario at a large --scale: ~1 GB, mostly logs) in three
 * packings, outside the repository and reused between runs; then, alternating and repeated, `gzip -dc`, `unzip -p`,
 * `rg -z -c -f` with the literals the analysis searches (where ripgrep is installed) and the tool. Prints medians,
 * the ratio to `gzip -dc`, peak RSS and the targets, as a table and as JSON.
 * `--smoke` uses a small corpus and one run, and fails only on gross regressions (analysis over 4x gzip -dc or over
 * 400 MB), never on timing noise.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOOL = join(ROOT, 'dist/bin/harvester-postmortem.js');
const GENERATOR = join(ROOT, 'dist/samples/generate-cli.js');
const SCENARIO = 'upgrade-v1.4.2-to-v1.5.0-incident';
const NOW = '--now 2026-01-01T00:00:00Z';

interface Args {
  smoke: boolean;
  scale: number;
  runs: number;
  dir: string;
}

function parseArgs(argv: string[]): Args {
  const smoke = argv.includes('--smoke');
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    smoke,
    scale: Number(value('--scale') ?? (smoke ? 1100 : 2600)),
    runs: Number(value('--runs') ?? (smoke ? 1 : 3)),
    dir: value('--dir') ?? process.env.HARVESTER_POSTMORTEM_BENCH_DIR ?? join(tmpdir(), 'harvester-postmortem-bench'),
  };
}

const PACKINGS = [
  { packing: 'tar.gz', file: 'bundle.tar.gz' },
  { packing: 'flat-zip', file: 'bundle-flat.zip' },
  { packing: 'support-zip', file: 'bundle-support.zip' },
] as const;

function corpus(args: Args): Record<string, string> {
  const dir = join(args.dir, `scale-${args.scale}`);
  mkdirSync(dir, { recursive: true });
  const paths: Record<string, string> = {};
  for (const { packing, file } of PACKINGS) {
    const path = join(dir, file);
    if (!existsSync(path)) {
      const out = join(dir, `gen-${packing}`);
      rmSync(out, { recursive: true, force: true });
      execFileSync(process.execPath, [GENERATOR, '--scenario', SCENARIO, '--scale', String(args.scale), '--packing', packing, '--out', out], { stdio: 'inherit' });
      renameSync(join(out, readdirSync(out)[0]), path);
      rmSync(out, { recursive: true, force: true });
    }
    paths[packing] = path;
  }
  return paths;
}

/** The literals the analysis looks for, as ripgrep patterns (escaped: they are plain text). */
function searchPatterns(): string {
  const rules = loadRules({ userRules: [], only: [], disable: [] });
  const none = (): never => {
    throw new Error('not needed to list literals');
  };
  const env = { facts: none, objects: none, upgrade: () => null, keyEvents: () => [], unreadable: () => [], members: () => [] };
  const { literals } = createEngine(rules, env, [createKeyEventCollector()]);
  return `${literals.map((l) => l.replace(/[[\]\\.*^$+?(){}|]/g, '\\$&')).join('\n')}\n`;
}

interface Measure {
  seconds: number;
  rssMb: number;
}

/** Wall time and peak RSS of a shell command, through GNU time. */
function measure(command: string): Measure {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', 'sh', '-c', command], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const last = result.stderr.trim().split('\n').pop() ?? '';
  const [seconds, kb] = last.split(' ').map(Number);
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} failed: ${result.stderr.slice(-500)}`);
  return { seconds, rssMb: kb / 1024 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

interface Command {
  name: string;
  input: string;
  command: string;
  /** The target this row is held to: a ratio to its baseline row and an RSS bound. */
  target?: { baseline: string; ratio: number; rssMb?: number } | { fasterThan: string; factor: number };
}

function commandsFor(inputs: Record<string, string>, args: Args, patterns: string, hasRg: boolean): Command[] {
  const node = process.execPath;
  const tool = (rest: string): string => `"${node}" "${TOOL}" ${rest}`;
  const analysis = (packing: string, jobs: number): Command => ({
    name: `analysis${jobs > 1 ? ` --jobs ${jobs}` : ''} (${packing})`,
    input: packing,
    command: tool(`"${inputs[packing]}" --format json ${NOW} --jobs ${jobs} -o /dev/null`),
    target: packing === 'flat-zip' ? undefined : jobs > 1 ? { baseline: 'gzip -dc', ratio: 1.2, rssMb: 400 } : { baseline: 'gzip -dc', ratio: 1.8, rssMb: 200 },
  });
  return [
    { name: 'gzip -dc', input: 'tar.gz', command: `gzip -dc "${inputs['tar.gz']}" > /dev/null` },
    { name: 'unzip -p (flat zip)', input: 'flat-zip', command: `unzip -p "${inputs['flat-zip']}" > /dev/null` },
    ...(hasRg ? [{ name: 'rg -z -c -f <literals>', input: 'tar.gz', command: `rg -z -c -f "${patterns}" "${inputs['tar.gz']}" > /dev/null` }] : []),
    analysis('tar.gz', 1),
    analysis('support-zip', 1),
    analysis('flat-zip', 1),
    analysis('tar.gz', 2),
    analysis('support-zip', 2),
    {
      name: 'events --format jsonl (tar.gz)',
      input: 'tar.gz',
      command: tool(`events "${inputs['tar.gz']}" -o /dev/null`),
      target: { baseline: 'gzip -dc', ratio: 3 },
    },
    { name: 'node -e 0', input: '-', command: `"${node}" -e 0` },
    {
      name: 'start-up: empty directory',
      input: '-',
      // nothing to read is exit 2, by design
      command: `${tool(`"${join(args.dir, 'empty')}" -o /dev/null`)} 2> /dev/null || true`,
      target: { baseline: 'node -e 0', ratio: 2.5 },
    },
    ...(hasRg ? [{ name: 'analysis vs rg (tar.gz)', input: 'tar.gz', command: '', target: { fasterThan: 'rg -z -c -f <literals>', factor: 3 } }] : []),
  ];
}

interface Row {
  command: string;
  seconds: number;
  ratio: number;
  rssMb: number;
  inputMb: number;
  target: string;
  met: boolean | null;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const inputs = corpus(args);
  const patterns = join(args.dir, 'rule-literals.txt');
  writeFileSync(patterns, searchPatterns());
  mkdirSync(join(args.dir, 'empty'), { recursive: true });
  const hasRg = spawnSync('sh', ['-c', 'command -v rg']).status === 0;
  const commands = commandsFor(inputs, args, patterns, hasRg);
  const samples = new Map<string, Measure[]>(commands.map((c) => [c.name, []]));
  for (let run = 0; run < args.runs; run++) {
    for (const c of commands) if (c.command !== '') samples.get(c.name)!.push(measure(c.command));
  }
  const seconds = (name: string): number => median(samples.get(name)!.map((m) => m.seconds));
  const gzip = seconds('gzip -dc');
  const bytes = Number(execFileSync('sh', ['-c', `gzip -dc "${inputs['tar.gz']}" | wc -c`]).toString());
  const rows: Row[] = commands.map((c) => {
    if (c.target && 'fasterThan' in c.target) {
      const tool = seconds('analysis (tar.gz)');
      const other = seconds(c.target.fasterThan);
      const factor = other / tool;
      return { command: c.name, seconds: tool, ratio: tool / gzip, rssMb: 0, inputMb: 0, target: `≥ ${c.target.factor}× faster (is ${factor.toFixed(2)}×)`, met: factor >= c.target.factor };
    }
    const ms = samples.get(c.name)!;
    const s = median(ms.map((m) => m.seconds));
    const rssMb = Math.max(...ms.map((m) => m.rssMb));
    const inputMb = c.input === '-' ? 0 : statSync(inputs[c.input]).size / 1024 ** 2;
    if (!c.target) return { command: c.name, seconds: s, ratio: s / gzip, rssMb, inputMb, target: '', met: null };
    const ratio = s / seconds(c.target.baseline);
    const rssOk = c.target.rssMb === undefined || rssMb <= c.target.rssMb;
    const target = `≤ ${c.target.ratio}× ${c.target.baseline}${c.target.rssMb ? `, ≤ ${c.target.rssMb} MB` : ''}`;
    return { command: c.name, seconds: s, ratio: s / gzip, rssMb, inputMb, target: `${target} (is ${ratio.toFixed(2)}×)`, met: ratio <= c.target.ratio && rssOk };
  });
  const table = new Table({ head: ['command', 'median s', '× gzip -dc', 'peak RSS MB', 'input MB', 'target', 'met'], style: { head: [], border: [] } });
  for (const r of rows) {
    table.push([r.command, r.seconds.toFixed(2), r.ratio.toFixed(2), r.rssMb.toFixed(0), r.inputMb.toFixed(0), r.target, r.met === null ? '' : r.met ? 'yes' : 'no']);
  }
  const report = { uncompressedMb: bytes / 1024 ** 2, runs: args.runs, scale: args.scale, node: process.version, rows };
  process.stdout.write(`corpus: ${(bytes / 1024 ** 2).toFixed(0)} MB uncompressed (tar.gz), ${args.runs} run(s) each, medians\n${table.toString()}\n`);
  writeFileSync(join(args.dir, `results-scale-${args.scale}.json`), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  if (args.smoke) {
    const analyses = rows.filter((r) => r.command.startsWith('analysis') && !r.command.includes('flat-zip') && !r.command.includes(' vs '));
    const gross = analyses.filter((r) => r.ratio > 4 || r.rssMb > 400);
    if (gross.length > 0) {
      process.stderr.write(`performance regression: ${gross.map((r) => `${r.command} ${r.ratio.toFixed(2)}× gzip -dc, ${r.rssMb.toFixed(0)} MB`).join('; ')}\n`);
      process.exitCode = 1;
    }
  }
}

main();
