/** Writes sample archives of the scenarios: the public entry point of the sample generator. */
import { join } from 'node:path';
import type { Packing } from './archive.js';
import { writeTree } from './archive.js';
import { supportBundleTree, upgradeLogTree } from './bundle.js';
import type { ScenarioName } from './scenarios.js';
import { play } from './scenarios.js';

export { SCENARIOS, type ScenarioName } from './scenarios.js';
export { PACKINGS, type Packing } from './archive.js';

/** File (or directory) name of a sample: `<scenario>.zip` for the support-bundle packing. */
export function sampleFileName(name: ScenarioName, packing: Packing = 'support-zip'): string {
  switch (packing) {
    case 'support-zip':
      return `${name}.zip`;
    case 'flat-zip':
      return `${name}.flat.zip`;
    case 'tar.gz':
      return `${name}.tar.gz`;
    case 'dir':
      return name;
  }
}

export interface GenerateOptions {
  /** Multiplies the VM count and the density of background log lines (1 = the committed samples). */
  scale?: number;
  packing?: Packing;
}

/** Generates one scenario into `outDir`; returns the written path. Deterministic for a given scale. */
export async function generateSample(name: ScenarioName, outDir: string, opts: GenerateOptions = {}): Promise<string> {
  const scale = opts.scale ?? 1;
  const packing = opts.packing ?? 'support-zip';
  const played = play(name, scale);
  const tree = name === 'upgrade-v1.4.2-to-v1.5.0-incident-upgradelog' ? upgradeLogTree(played) : supportBundleTree(played);
  const out = join(outDir, sampleFileName(name, packing));
  await writeTree(tree, out, packing);
  return out;
}
