import { describeReadError } from './member-stream.js';
import type { TempFile } from './temp-file.js';
import type { ReadLimits, ReadProblem } from './types.js';

/**
 * Counts what one pass over an input has read against ReadLimits. Reaching a limit is reported once, with the
 * limit's name, and stops the pass: `stopped` is checked by every source before it yields the next member.
 */
export class ReadBudget {
  private members = 0;
  private bytes = 0;
  stopped = false;

  constructor(
    readonly limits: ReadLimits,
    private readonly report: (p: ReadProblem) => void,
    private readonly inputPath: string,
  ) {}

  /** Counts one member; false (and the pass stops) once maxMembers members were read. */
  admitMember(): boolean {
    if (this.stopped) return false;
    if (this.members >= this.limits.maxMembers) {
      this.stop(`maxMembers limit (${this.limits.maxMembers}) reached: later members were not read`);
      return false;
    }
    this.members++;
    return true;
  }

  /** Counts decompressed bytes; false (and the pass stops) once maxTotalBytes would be exceeded. */
  addBytes(count: number, file: string): boolean {
    if (this.stopped) return false;
    if (this.bytes + count > this.limits.maxTotalBytes) {
      this.stop(`maxTotalBytes limit (${this.limits.maxTotalBytes} bytes) reached in ${file}: the rest of the input was not read`);
      return false;
    }
    this.bytes += count;
    return true;
  }

  private stop(reason: string): void {
    this.stopped = true;
    this.report({ file: this.inputPath, reason });
  }
}

/** A limit hit while spooling a nested archive; the budget has already reported it when `reported`. */
export class LimitReached extends Error {
  constructor(
    message: string,
    readonly reported: boolean,
  ) {
    super(message);
  }
}

/** What every source needs while it walks an input. */
export interface ReadContext {
  budget: ReadBudget;
  onProblem: (p: ReadProblem) => void;
  /** Archive nesting of the container being read: the input archive is 1, a node zip inside it 2. */
  depth: number;
  /** Spooled nested archives not yet removed, shared by the whole source so close() can remove them. */
  temporaryFiles: Set<TempFile>;
}

/** The context of one pass (one members() call) over an input. */
export function createReadContext(
  limits: ReadLimits,
  onProblem: (p: ReadProblem) => void,
  inputPath: string,
  temporaryFiles: Set<TempFile>,
  depth: number,
): ReadContext {
  return { budget: new ReadBudget(limits, onProblem, inputPath), onProblem, depth, temporaryFiles };
}

/** Removes what a pass left behind when it was abandoned before its end. */
export async function removeTemporaryFiles(temporaryFiles: Set<TempFile>): Promise<void> {
  for (const temp of [...temporaryFiles]) {
    temporaryFiles.delete(temp);
    await temp.dispose();
  }
}

/**
 * Admits `bytes` more spooled bytes of a nested archive (counted in maxTotalBytes and bounded by `maxBytes`, its
 * compression-ratio bound), throwing LimitReached otherwise.
 */
export function admitSpooled(ctx: ReadContext, file: string, spooledBefore: number, bytes: number, maxBytes: number | null): void {
  if (maxBytes !== null && spooledBefore + bytes > maxBytes) {
    throw new LimitReached(`maxCompressionRatio limit (${ctx.budget.limits.maxCompressionRatio}) exceeded while inflating: nested zip not read`, false);
  }
  if (!ctx.budget.addBytes(bytes, file)) throw new LimitReached('maxTotalBytes limit reached', true);
}

/** The problem to report for a nested archive that could not be spooled, or null when already reported. */
export function spoolProblem(file: string, err: unknown): ReadProblem | null {
  if (err instanceof LimitReached) return err.reported ? null : { file, reason: err.message };
  return { file, reason: `corrupt nested zip: ${describeReadError(err)}` };
}

/** The problem to report for a nested archive whose bytes ended early (only those before the damage are read). */
export function partialSpoolProblem(file: string, temp: TempFile): ReadProblem | null {
  if (temp.cut === null) return null;
  return { file, reason: `corrupt nested zip: ${describeReadError(temp.cut)}; the ${temp.size} bytes before the damage are read` };
}

export const withinNestingLimit = (ctx: ReadContext, file: string): boolean => {
  if (ctx.depth + 1 <= ctx.budget.limits.maxNestingDepth) return true;
  ctx.onProblem({ file, reason: `maxNestingDepth limit (${ctx.budget.limits.maxNestingDepth}) reached: nested archive not opened` });
  return false;
};

/** Declared sizes above maxCompressionRatio (zip bombs) are refused before any byte is inflated. */
export function withinCompressionRatio(ctx: ReadContext, file: string, compressed: number, uncompressed: number): boolean {
  const ratio = ctx.budget.limits.maxCompressionRatio;
  if (uncompressed <= Math.max(compressed, 1) * ratio) return true;
  ctx.onProblem({ file, reason: `maxCompressionRatio limit (${ratio}) exceeded: ${compressed} bytes declared to expand to ${uncompressed}; not read` });
  return false;
}
