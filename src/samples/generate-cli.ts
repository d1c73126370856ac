/** `npm run generate-samples`: writes the sample bundles (see samples/README.md). */
import { stat } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Packing, ScenarioName } from './generate.js';
import { generateSample, PACKINGS, SCENARIOS } from './generate.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command()
    .name('generate-samples')
    .description('Write the deterministic sample Harvester support bundles')
    .requiredOption('--out <dir>', 'output directory')
    .addOption(new Option('--scenario <name>', 'scenario to generate').choices(['all', ...SCENARIOS]).default('all'))
    .option('--scale <n>', 'multiply background log volume (and the VM fleet up to 4×)', positiveInt, 1)
    .addOption(new Option('--packing <packing>', 'archive packing').choices([...PACKINGS]).default('support-zip'))
    .exitOverride();
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    return (err as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const opts = program.opts<{ out: string; scenario: ScenarioName | 'all'; scale: number; packing: Packing }>();
  const names = opts.scenario === 'all' ? SCENARIOS : [opts.scenario];
  for (const name of names) {
    const path = await generateSample(name, opts.out, { scale: opts.scale, packing: opts.packing });
    const st = await stat(path);
    process.stdout.write(`${path}${st.isFile() ? `\t${st.size} bytes` : ''}\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`generate-samples: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
