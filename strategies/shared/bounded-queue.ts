/**
 * A queue bounded by a weight (rows, for the pipeline strategy) and by bytes, with backpressure both ways: push()
 * waits while the queue is full, take() waits while it is empty. fail() wakes every waiter with the
 * error, so a failure on either side stops the other.
 */
export class BoundedQueue<T> {
  private readonly items: { item: T; weight: number; bytes: number }[] = [];
  private weight = 0;
  private bytes = 0;
  private closed = false;
  private error: unknown;
  private readonly waiters: (() => void)[] = [];
  /** Milliseconds push() spent waiting for room (the consumer was slower). */
  producerWaitMs = 0;
  /** Milliseconds take() spent waiting for items (the producer was slower). */
  consumerWaitMs = 0;
  peakWeight = 0;

  constructor(
    private readonly capacity: number,
    private readonly byteCapacity = Infinity,
  ) {}

  async push(item: T, weight: number, bytes = 0): Promise<void> {
    const t0 = performance.now();
    // An item heavier than the capacity still goes in once the queue is empty.
    const full = () => this.weight + weight > this.capacity || this.bytes + bytes > this.byteCapacity;
    while (this.error === undefined && this.items.length > 0 && full()) await this.wait();
    this.producerWaitMs += performance.now() - t0;
    if (this.error !== undefined) throw this.error;
    if (this.closed) throw new Error('push() after close()');
    this.items.push({ item, weight, bytes });
    this.weight += weight;
    this.bytes += bytes;
    this.peakWeight = Math.max(this.peakWeight, this.weight);
    this.wake();
  }

  /** The next item, or undefined once the queue is closed and drained. */
  async take(): Promise<T | undefined> {
    const t0 = performance.now();
    while (this.error === undefined && this.items.length === 0 && !this.closed) await this.wait();
    this.consumerWaitMs += performance.now() - t0;
    if (this.error !== undefined) throw this.error;
    const next = this.items.shift();
    if (!next) return undefined;
    this.weight -= next.weight;
    this.bytes -= next.bytes;
    this.wake();
    return next.item;
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  fail(error: unknown): void {
    if (this.error === undefined) this.error = error ?? new Error('queue failed');
    this.wake();
  }

  private wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
