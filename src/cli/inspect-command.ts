import { Option, type Command } from 'commander';
import Table from 'cli-table3';
import { inspectBundle, type InspectResult, type TimeRange } from '../analyze/inspect-bundle.js';
import { toIso } from '../util/time.js';
import { EXIT_OK, EXIT_TOOL_ERROR, emit, type CliIo } from './io.js';
import { addInputOptions, limitsFrom, type InputOptionValues } from './shared-options.js';

interface InspectOptionValues extends InputOptionValues {
  format: 'terminal' | 'json';
  output?: string;
}

export function registerInspectCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('inspect <bundle>')
    .description('what the tool reads in an input: bundle facts, members by kind and component, time ranges, parse coverage')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['terminal', 'json']).default('terminal'))
    .option('-o, --output <file>', 'write to a file instead of stdout');
  addInputOptions(command);
  command.action(async (bundle: string, options: InspectOptionValues) => {
    const result = await inspectBundle(bundle, { zone: options.tz, limits: limitsFrom(options) });
    const text = options.format === 'json' ? `${JSON.stringify(jsonView(result), null, 2)}\n` : renderInspect(result);
    await emit(text, options.output, io);
    setExit(result.readNothing ? EXIT_TOOL_ERROR : EXIT_OK);
  });
}

const rangeJson = (r: TimeRange) => ({ ...r, first: toIso(r.first), last: toIso(r.last) });

const jsonView = (r: InspectResult) => ({
  ...r,
  facts: { ...r.facts, createdAt: toIso(r.facts.createdAt) },
  perNode: r.perNode.map(rangeJson),
  perSource: r.perSource.map(rangeJson),
});

const plainTable = (head: string[]): Table.Table => new Table({ head, style: { head: [], border: [] } });

const percent = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

function rangeTable(title: string, ranges: readonly TimeRange[]): string {
  const table = plainTable([title, 'files', 'lines', 'with time', 'first', 'last']);
  for (const r of ranges) {
    table.push([r.name, r.files, r.lines, percent(r.linesWithTime, r.lines), toIso(r.first) ?? '-', toIso(r.last) ?? '-']);
  }
  return table.toString();
}

function renderInspect(r: InspectResult): string {
  const f = r.facts;
  const lines = [
    `${r.path} (${r.kind}, ${r.packing})`,
    `bundle ${f.name ?? 'unknown'}  cluster ${f.clusterId ?? 'unknown'}  created ${toIso(f.createdAt) ?? 'unknown'}`,
    `Kubernetes ${f.kubernetesVersion ?? 'unknown'}  Harvester ${f.harvesterVersion ?? 'unknown'}  nodes ${f.nodes.join(', ') || 'none'}`,
    `${r.objects} Kubernetes objects`,
    '',
  ];
  const kinds = plainTable(['member kind', 'count']);
  for (const [kind, count] of Object.entries(r.membersByKind)) kinds.push([kind, count]);
  lines.push(kinds.toString(), '', rangeTable('node', r.perNode), '', rangeTable('source', r.perSource), '');
  const c = r.coverage;
  lines.push(`coverage: ${c.files} files, ${c.lines} lines, ${percent(c.linesWithTime, c.lines)} with a time`);
  const formats = plainTable(['format', 'lines']);
  for (const [format, count] of Object.entries(c.byFormat)) formats.push([format, count]);
  lines.push(formats.toString());
  for (const p of c.unreadable) lines.push(`not read: ${p.file}: ${p.reason}`);
  for (const l of c.limitsHit) lines.push(`limit ${l.limit} hit ${l.count} times, e.g. ${l.example}`);
  for (const path of r.notUnderstood) lines.push(`not understood (read as plain text): ${path}`);
  return `${lines.join('\n')}\n`;
}
