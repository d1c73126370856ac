import { parseKeyValueLine } from './key-values.js';
import type { ParsedLine } from './parsed-line.js';

/**
 * logrus TextFormatter: `time="<RFC3339[Nano], Z or offset>" level=<lvl> msg="<Go-quoted>" k=v ...` (Harvester,
 * Longhorn, rke2, rancherd, rancher-system-agent, containerd). logrus always quotes the time (it holds `:`).
 */
export function parseLogrus(text: string): ParsedLine | null {
  return text.startsWith('time="') ? parseKeyValueLine(text, 'logrus') : null;
}
