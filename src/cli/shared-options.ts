import { Option, type Command } from 'commander';
import { DEFAULT_LIMITS, type ReadLimits } from '../bundle/types.js';
import type { RuleSelection } from '../analyze/load-rules.js';
import type { RedactOptions } from '../redact/redact-report.js';
import { collect, parsePositiveInt, parseSize, parseZone } from './options.js';

/** Options every command that reads an input shares: zones and the bounds on what an archive may make us do. */
export function addInputOptions(command: Command): Command {
  return command
    .addOption(new Option('--tz <zone>', 'zone of zone-less node times (journald, klog, Rancher) when the node zone is unknown').default('UTC').argParser(parseZone))
    .addOption(new Option('--max-line-bytes <size>', 'cut longer lines (counted in Coverage)').default(DEFAULT_LIMITS.maxLineBytes).argParser(parseSize))
    .addOption(new Option('--max-total-bytes <size>', 'stop reading after this many uncompressed bytes').default(DEFAULT_LIMITS.maxTotalBytes).argParser(parseSize))
    .addOption(new Option('--max-ratio <n>', 'largest compression ratio accepted for one member (zip/gzip bombs)').default(DEFAULT_LIMITS.maxCompressionRatio).argParser(parsePositiveInt))
    .addOption(new Option('--max-depth <n>', 'deepest archive nesting followed').default(DEFAULT_LIMITS.maxNestingDepth).argParser(parsePositiveInt))
    .addOption(new Option('--max-members <n>', 'most archive members read').default(DEFAULT_LIMITS.maxMembers).argParser(parsePositiveInt));
}

export interface InputOptionValues {
  tz: string;
  maxLineBytes: number;
  maxTotalBytes: number;
  maxRatio: number;
  maxDepth: number;
  maxMembers: number;
}

export const limitsFrom = (o: InputOptionValues): ReadLimits => ({
  maxLineBytes: o.maxLineBytes,
  maxTotalBytes: o.maxTotalBytes,
  maxCompressionRatio: o.maxRatio,
  maxNestingDepth: o.maxDepth,
  maxMembers: o.maxMembers,
});

/** `--redact` and `--redact-key`: reports safe to paste into a public ticket. */
export function addRedactOptions(command: Command): Command {
  return command
    .option('--redact', 'pseudonymise node, VM, namespace, host and user names, IPs, MACs and e-mails; mask secrets')
    .option('--redact-key <key>', 'key of the pseudonyms: the same key gives the same tokens in every run (implies --redact)');
}

export interface RedactOptionValues {
  redact?: boolean;
  redactKey?: string;
}

export const redactionFrom = (o: RedactOptionValues): RedactOptions | null =>
  o.redact === true || o.redactKey !== undefined ? { key: o.redactKey ?? null } : null;

export function addRuleOptions(command: Command): Command {
  return command
    .option('--rules <dir>', 'also load declarative rules from this directory or file (repeatable)', collect, [])
    .option('--only <rule>', 'run only this rule (repeatable)', collect, [])
    .option('--disable <rule>', 'do not run this rule (repeatable)', collect, []);
}

export interface RuleOptionValues {
  rules: string[];
  only: string[];
  disable: string[];
}

export const ruleSelectionFrom = (o: RuleOptionValues): RuleSelection => ({
  userRules: o.rules,
  only: o.only,
  disable: o.disable,
});
