// Long work behind a notification with a Cancel button: the button aborts the work's AbortSignal, and a
// cancelled run gives undefined (nothing to report) instead of an error.
import * as vscode from 'vscode';

export type ProgressReporter = vscode.Progress<{ message?: string; increment?: number }>;

/**
 * Runs `work` with progress titled `title`. Undefined when the user cancelled, or when the work failed with
 * an error `isCancelled` recognises as its own cancellation; other errors are thrown.
 */
export function withCancellableProgress<T>(
  title: string,
  work: (signal: AbortSignal, progress: ProgressReporter) => Promise<T>,
  isCancelled: (e: unknown) => boolean = () => false,
): Promise<T | undefined> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await work(abort.signal, progress);
      } catch (e) {
        if (token.isCancellationRequested || isCancelled(e)) return undefined;
        throw e;
      } finally {
        sub.dispose();
      }
    }),
  );
}
