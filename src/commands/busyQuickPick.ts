// A quick pick that opens at once, busy, while its items load from the cluster; Escape cancels the load.
import * as vscode from 'vscode';

export interface BusyPickOptions<T> {
  readonly title: string;
  readonly placeholder: string;
  readonly load: (signal: AbortSignal) => Promise<T[]>;
  readonly toItem: (value: T) => vscode.QuickPickItem;
  /** Shown as the only row when the list is empty. */
  readonly emptyText: string;
}

/** Resolves to the picked value, or undefined when the user dismissed the picker. Load errors reject. */
export function busyQuickPick<T>(opts: BusyPickOptions<T>): Promise<T | undefined> {
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { value?: T }>();
  qp.title = opts.title;
  qp.placeholder = opts.placeholder;
  qp.busy = true;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.ignoreFocusOut = false;
  const abort = new AbortController();
  return new Promise<T | undefined>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      abort.abort();
      qp.dispose();
      fn();
    };
    qp.onDidAccept(() => {
      const v = qp.selectedItems[0]?.value;
      if (v !== undefined) finish(() => resolve(v));
    });
    qp.onDidHide(() => finish(() => resolve(undefined)));
    qp.show();
    opts.load(abort.signal).then(
      (values) => {
        if (settled) return;
        qp.items = values.length > 0 ? values.map((v) => ({ ...opts.toItem(v), value: v })) : [{ label: opts.emptyText }];
        qp.busy = false;
      },
      (err: unknown) => finish(() => reject(err)),
    );
  });
}
