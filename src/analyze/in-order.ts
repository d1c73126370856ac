/**
 * Runs deliveries in the order they were added, each once it is ready: work finished out of order (a worker thread's
 * log member, a YAML member read on the main thread) reaches its consumer exactly as a sequential scan would pass it.
 */
export class InOrder {
  private readonly queue: { ready: (() => void) | null; settled: Promise<void> }[] = [];

  /** A delivery, or the promise of one. */
  add(delivery: (() => void) | Promise<() => void>): void {
    const entry: { ready: (() => void) | null; settled: Promise<void> } = { ready: null, settled: Promise.resolve() };
    if (typeof delivery === 'function') entry.ready = delivery;
    else entry.settled = delivery.then((ready) => void (entry.ready = ready));
    this.queue.push(entry);
  }

  /** Runs the deliveries at the head of the queue that are ready; never waits. */
  deliverReady(): void {
    while (this.queue.length > 0 && this.queue[0].ready) this.queue.shift()!.ready!();
  }

  /** Waits for and runs every delivery, in order. */
  async deliverAll(): Promise<void> {
    for (const entry of this.queue) await entry.settled;
    this.deliverReady();
  }
}
