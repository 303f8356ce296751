// Progress for work that is often over at once (indexing a small or cached workspace): the notification
// opens only when the work outlasts a delay. VS Code keeps a progress notification up for at least 800 ms,
// so one opened at once lingers beside the result of a build that took 50 ms, showing "0 of 2 files".
// No vscode API here: the caller says how progress is shown.

export interface ProgressStep {
  readonly message: string;
  /** 0-100. */
  readonly percent: number;
}

/**
 * Opens the progress display once the work outlasts the delay: `current` is the step reached so far, `follow`
 * registers for the steps after it, `done` settles with the work.
 */
export type ShowProgress = (current: ProgressStep | undefined, follow: (listener: (step: ProgressStep) => void) => void, done: Promise<unknown>) => void;

export function withDelayedProgress<T>(delayMs: number, show: ShowProgress, work: (report: (step: ProgressStep) => void) => Promise<T>): Promise<T> {
  let current: ProgressStep | undefined;
  let listener: ((step: ProgressStep) => void) | undefined;
  const done = work((step) => {
    current = step;
    listener?.(step);
  });
  const timer = setTimeout(
    () =>
      show(
        current,
        (l) => (listener = l),
        done.catch(() => undefined),
      ),
    delayMs,
  );
  return done.finally(() => clearTimeout(timer));
}
