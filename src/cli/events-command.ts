import { InvalidArgumentError, Option, type Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { scanReadNothing } from '../analyze/nothing-read.js';
import { scanBundle } from '../analyze/scan-bundle.js';
import { SortedSpool } from '../analyze/sorted-spool.js';
import { createEventSpooler, matchesFilter, type EventFilter } from '../analyze/event-record.js';
import { UsageError } from '../bundle/errors.js';
import { EXIT_OK, EXIT_TOOL_ERROR, type CliIo } from './io.js';
import { parseTime } from './options.js';
import { addInputOptions, limitsFrom, type InputOptionValues } from './shared-options.js';

interface EventsOptionValues extends InputOptionValues {
  format: 'jsonl';
  output?: string;
  since?: number;
  until?: number;
  node?: string;
  component?: string;
  grep?: RegExp;
}

const parseRegExp = (value: string): RegExp => {
  try {
    return new RegExp(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

const UNKNOWN_TIME_LAST = Number.MAX_SAFE_INTEGER;

export function registerEventsCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('events <bundle>')
    .description('every log line of the input as one normalised JSON object per line, in time order (for checking the parsers)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['jsonl']).default('jsonl'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--since <time>', 'only events at or after this time (ISO-8601)', parseTime)
    .option('--until <time>', 'only events at or before this time (ISO-8601)', parseTime)
    .option('--node <node>', 'only events of this node')
    .option('--component <component>', 'only events of this component (kubelet, rke2-server, virt-launcher, ...)')
    .option('--grep <regex>', 'only lines matching this regular expression', parseRegExp);
  addInputOptions(command);
  command.action(async (bundle: string, options: EventsOptionValues) => {
    const filter: EventFilter = options;
    const spool = new SortedSpool();
    const events = createEventSpooler();
    const scan = await scanBundle(bundle, {
      zone: options.tz,
      limits: limitsFrom(options),
      objects: false,
      sink: {
        event(event, member) {
          if (matchesFilter(event, member, filter)) events.add(spool, event.time ?? UNKNOWN_TIME_LAST, event, member);
        },
      },
    });
    const write = await writer(options.output, io);
    await spool.drainTo(write, events.render);
    await write(null);
    for (const problem of scan.coverage.unreadable) io.stderr(`not read: ${problem.file}: ${problem.reason}\n`);
    setExit(scanReadNothing(scan) ? EXIT_TOOL_ERROR : EXIT_OK);
  });
}

/** A byte writer with back-pressure to -o FILE or stdout; `null` ends it. */
async function writer(output: string | undefined, io: CliIo): Promise<(bytes: Buffer | null) => Promise<void>> {
  if (output === undefined || output === '-') {
    return async (bytes) => {
      if (bytes !== null) await io.stdoutBytes(bytes);
    };
  }
  const out = createWriteStream(output);
  await Promise.race([once(out, 'open'), once(out, 'error').then(([e]) => Promise.reject(new UsageError(`cannot write ${output}: ${(e as Error).message}`)))]);
  return async (bytes) => {
    if (bytes === null) {
      out.end();
      await once(out, 'finish');
    } else if (!out.write(bytes)) await once(out, 'drain');
  };
}
