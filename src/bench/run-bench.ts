import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { loadRules } from '../analyze/load-rules.js';

/**
 * `npm run bench`: a bundle-shaped corpus (the incident scenario at a large --scale) in three packings, outside the
 * repository and reused between runs; then, alternating and repeated, `gzip -dc`, `unzip -p`, `rg -z` with the rules'
 * literals (where ripgrep is installed) and the tool. Prints medians, the ratio to `gzip -dc` and peak RSS.
 * `--smoke` uses a ~100 MB corpus and fails only on gross regressions (ratio > 4 or RSS > 400 MB).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOOL = join(ROOT, 'dist/bin/harvester-postmortem.js');
const GENERATOR = join(ROOT, 'dist/samples/generate-cli.js');
const SCENARIO = 'upgrade-v1.4.2-to-v1.5.0-incident';

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
    scale: Number(value('--scale') ?? (smoke ? 260 : 2600)),
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
      execFileSync(process.execPath, [GENERATOR, '--scenario', SCENARIO, '--scale', String(args.scale), '--packing', packing, '--out', out], { stdio: 'inherit' });
      const produced = execFileSync('sh', ['-c', `ls -1 "${out}"`]).toString().trim().split('\n')[0];
      execFileSync('mv', [join(out, produced), path]);
    }
    paths[packing] = path;
  }
  return paths;
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

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const inputs = corpus(args);
  const patterns = join(args.dir, 'rule-literals.txt');
  writeFileSync(patterns, [...new Set(loadRules({ userRules: [], only: [], disable: [] }).flatMap((r) => r.literals))].sort().join('\n') + '\n');
  const hasRg = spawnSync('sh', ['-c', 'command -v rg']).status === 0;
  const node = process.execPath;
  const commands: { name: string; input: string; command: string }[] = [
    { name: 'gzip -dc', input: 'tar.gz', command: `gzip -dc "${inputs['tar.gz']}" > /dev/null` },
    { name: 'unzip -p (flat zip)', input: 'flat-zip', command: `unzip -p "${inputs['flat-zip']}" > /dev/null` },
    ...(hasRg ? [{ name: 'rg -z -c -F -f <rule literals>', input: 'tar.gz', command: `rg -z -c -F -f "${patterns}" "${inputs['tar.gz']}" > /dev/null` }] : []),
    ...PACKINGS.map(({ packing }) => ({ name: `analysis (${packing})`, input: packing, command: `"${node}" "${TOOL}" "${inputs[packing]}" --format json --now 2026-01-01T00:00:00Z -o /dev/null` })),
    { name: 'events --format jsonl (tar.gz)', input: 'tar.gz', command: `"${node}" "${TOOL}" events "${inputs['tar.gz']}" -o /dev/null` },
    { name: 'start-up: empty directory', input: '-', command: `"${node}" "${TOOL}" "${join(args.dir, 'empty')}" -o /dev/null` },
    { name: 'node -e 0', input: '-', command: `"${node}" -e 0` },
  ];
  mkdirSync(join(args.dir, 'empty'), { recursive: true });
  const samples = new Map<string, Measure[]>(commands.map((c) => [c.name, []]));
  for (let run = 0; run < args.runs; run++) {
    for (const c of commands) samples.get(c.name)!.push(measure(c.command));
  }
  const gzip = median(samples.get('gzip -dc')!.map((m) => m.seconds));
  const bytes = Number(execFileSync('sh', ['-c', `gzip -dc "${inputs['tar.gz']}" | wc -c`]).toString());
  const rows = commands.map((c) => {
    const ms = samples.get(c.name)!;
    const seconds = median(ms.map((m) => m.seconds));
    return { command: c.name, seconds, ratio: seconds / gzip, rssMb: Math.max(...ms.map((m) => m.rssMb)), inputMb: c.input === '-' ? 0 : statSync(inputs[c.input]).size / 1024 ** 2 };
  });
  const table = new Table({ head: ['command', 'median s', '× gzip -dc', 'peak RSS MB', 'input MB'], style: { head: [], border: [] } });
  for (const r of rows) table.push([r.command, r.seconds.toFixed(2), r.ratio.toFixed(2), r.rssMb.toFixed(0), r.inputMb.toFixed(0)]);
  const report = { uncompressedMb: bytes / 1024 ** 2, runs: args.runs, scale: args.scale, rows };
  process.stdout.write(`corpus: ${(bytes / 1024 ** 2).toFixed(0)} MB uncompressed, ${args.runs} run(s) each, medians\n${table.toString()}\n`);
  writeFileSync(join(args.dir, `results-scale-${args.scale}.json`), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  if (args.smoke) {
    const gross = rows.filter((r) => r.command.startsWith('analysis') && (r.ratio > 4 || r.rssMb > 400));
    if (gross.length > 0) {
      process.stderr.write(`performance regression: ${gross.map((r) => `${r.command} ${r.ratio.toFixed(2)}× ${r.rssMb.toFixed(0)} MB`).join('; ')}\n`);
      process.exitCode = 1;
    }
  }
}

main();
