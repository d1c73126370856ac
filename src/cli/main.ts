import { Command, CommanderError, Option } from 'commander';
import { UsageError } from '../bundle/errors.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { registerAnalyzeCommand } from './analyze-command.js';
import { registerInspectCommand } from './inspect-command.js';
import { registerEventsCommand } from './events-command.js';
import { registerRulesCommand } from './rules-command.js';
import { registerBatchCommand, registerHistoryCommand } from './batch-command.js';
import { EXIT_OK, EXIT_TOOL_ERROR, type CliIo, processIo } from './io.js';

/** The whole CLI: parses argv, runs one command, returns the exit code. Only cli/ prints. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const program = new Command(TOOL_NAME)
    .description('Post-mortem of Harvester upgrades from support bundles: what happened, when, on which node, to which VMs, and why.')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError('(run with --help for usage)');
  let exitCode = EXIT_OK;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  registerAnalyzeCommand(program, io, setExit);
  registerInspectCommand(program, io, setExit);
  registerEventsCommand(program, io, setExit);
  registerRulesCommand(program, io, setExit);
  registerBatchCommand(program, io, setExit);
  registerHistoryCommand(program, io);
  program.addOption(new Option('--debug', 'print stack traces of internal errors').hideHelp());
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return handleError(error, io, argv.includes('--debug'));
  }
}

function handleError(error: unknown, io: CliIo, debug: boolean): number {
  if (error instanceof CommanderError) {
    // help and version exit through here with code 0
    return error.exitCode === 0 ? EXIT_OK : EXIT_TOOL_ERROR;
  }
  if (error instanceof UsageError) {
    io.stderr(`${TOOL_NAME}: ${error.message}\n`);
    return EXIT_TOOL_ERROR;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(
    `${TOOL_NAME}: internal error: ${message}\n` +
      `This is a bug; please report it with the command line and ${TOOL_NAME} ${TOOL_VERSION}, Node ${process.version}.\n`,
  );
  if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return EXIT_TOOL_ERROR;
}
