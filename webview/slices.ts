// A small cooperative scheduler for the work that follows the first frame (functions table, minimap):
// jobs are generators that yield every few thousand nodes; each slice runs them for about `budgetMs`, then
// gives the page back (input, animation frames) and continues in a new task. Pure apart from the default
// host (MessageChannel), so it runs in Node tests.
//
// Why MessageChannel: a webview has no requestIdleCallback guarantee (a busy editor may never be idle), and
// setTimeout(0) is clamped to 4 ms once nested; a posted message is a new task at once, between which
// Chromium runs pending input and due frames (what React's scheduler relies on).

export interface SliceHost {
  now(): number;
  /** Runs `f` in a new task. */
  post(f: () => void): void;
  /** Runs `f` in a new task after the next animation frame is painted. */
  afterFrame(f: () => void): void;
}

export function browserHost(): SliceHost {
  const queue: Array<() => void> = [];
  let channel: MessageChannel | undefined;
  try {
    channel = new MessageChannel();
    channel.port1.onmessage = () => queue.shift()?.();
  } catch {
    channel = undefined;
  }
  return {
    afterFrame: (f) => requestAnimationFrame(() => setTimeout(f, 0)),
    now: () => performance.now(),
    post: (f) => {
      if (!channel) {
        setTimeout(f, 0);
        return;
      }
      queue.push(f);
      channel.port2.postMessage(0);
    },
  };
}

interface Job {
  readonly key: string;
  readonly it: Iterator<unknown>;
  readonly done?: () => void;
}

export interface SliceStats {
  slices: number;
  /** Longest slice (ms) since the last reset. */
  longest: number;
  /** Total time spent in slices (ms) since the last reset. */
  busy: number;
  /** When set (benchmark), each slice is appended as [start, duration, key of the job it began with]. */
  trace?: Array<[number, number, string]>;
}

export class SliceRunner {
  private jobs: Job[] = [];
  private running: Job | undefined;
  private posted = false;
  readonly stats: SliceStats = { slices: 0, longest: 0, busy: 0 };
  /** Called with whatever a job throws (the job is dropped; the others go on). */
  onError: (e: unknown) => void = () => {};
  /**
   * While this says so (a frame for user input is due), slices wait until after the next frame: a zoom
   * or pan is drawn first, not after another slice.
   */
  holdWhile: () => boolean = () => false;

  constructor(
    readonly budgetMs = 5,
    private readonly host: SliceHost = browserHost(),
  ) {}

  /** Queues a job under a key, cancelling the job already under that key. `done` runs once it finished. */
  run(key: string, it: Iterator<unknown>, done?: () => void): void {
    this.cancel(key);
    this.jobs.push({ key, it, done });
    this.wake();
  }

  /** Drops the job under `key` (its `done` never runs). Safe to call from inside a job. */
  cancel(key: string): void {
    const i = this.jobs.findIndex((j) => j.key === key);
    if (i < 0) return;
    const [job] = this.jobs.splice(i, 1);
    // A generator cannot be closed while it runs (the job cancelled itself): it is simply never resumed.
    if (job !== this.running) job.it.return?.(undefined);
  }

  pending(key: string): boolean {
    return this.jobs.some((j) => j.key === key);
  }

  resetStats(): void {
    this.stats.slices = this.stats.longest = this.stats.busy = 0;
  }

  private wake(): void {
    if (this.posted || this.jobs.length === 0) return;
    this.posted = true;
    this.host.post(() => this.slice());
  }

  private slice(): void {
    if (this.holdWhile()) {
      this.host.afterFrame(() => this.slice());
      return;
    }
    this.posted = false;
    const t0 = this.host.now();
    const firstKey = this.jobs[0]?.key ?? '';
    while (this.jobs.length > 0) {
      const job = this.jobs[0];
      this.running = job;
      let finished = false;
      try {
        finished = job.it.next().done === true;
      } catch (e) {
        finished = true;
        this.remove(job);
        this.running = undefined;
        this.onError(e);
        continue;
      } finally {
        this.running = undefined;
      }
      if (finished && this.remove(job)) job.done?.();
      if (this.host.now() - t0 >= this.budgetMs) break;
    }
    const took = this.host.now() - t0;
    this.stats.slices++;
    this.stats.busy += took;
    if (took > this.stats.longest) this.stats.longest = took;
    this.stats.trace?.push([t0, took, firstKey]);
    this.wake();
  }

  /** Removes the job if it is still queued (it may have been cancelled while it ran); true if it was. */
  private remove(job: Job): boolean {
    const i = this.jobs.indexOf(job);
    if (i < 0) return false;
    this.jobs.splice(i, 1);
    return true;
  }
}

/** Runs a job to its end at once (tests, and callers that need the result now). */
export function drain<T>(it: Iterator<unknown, T>): T {
  for (;;) {
    const r = it.next();
    if (r.done) return r.value as T;
  }
}
