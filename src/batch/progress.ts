/** A one-line progress display for stderr on a TTY: bundles done/total, bytes, elapsed, ETA. */
export class Progress {
  private done = 0;
  private bytes = 0;

  constructor(
    private readonly total: number,
    private readonly totalBytes: number,
    private readonly write: ((text: string) => void) | null,
    private readonly clock: () => number,
    private readonly started = clock(),
  ) {}

  advance(bytes: number): void {
    this.done++;
    this.bytes += bytes;
    if (!this.write) return;
    const elapsed = (this.clock() - this.started) / 1000;
    const eta = this.bytes > 0 ? (elapsed * (this.totalBytes - this.bytes)) / this.bytes : 0;
    const mb = (n: number): string => `${(n / 1024 ** 2).toFixed(0)} MB`;
    const width = 24;
    const filled = Math.round((width * this.done) / Math.max(1, this.total));
    this.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} bundles  ${mb(this.bytes)}/${mb(this.totalBytes)}  ${clock(elapsed)} elapsed  ETA ${clock(eta)}`,
    );
    if (this.done === this.total) this.write('\n');
  }
}

const clock = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
