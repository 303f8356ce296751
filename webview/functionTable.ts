// The sortable functions table beside the graph (self / total, once per stack). Renders the top rows only:
// thousands of table rows would cost more than the graph. Click or arrow keys select a function (the graph
// follows), Enter or double-click open its source. One row is in the tab order (roving tabindex).
import type { FunctionStat } from './analysis';
import { drain, type SliceRunner } from './slices';

export type SortKey = 'name' | 'self' | 'total';

const MAX_ROWS = 300;
/**
 * Rows built (and laid out) per step of the sliced render: the first step is small (the first text layout
 * of a page also loads and shapes the font), later steps are sized from the measured time per row so that
 * each takes about STEP_MS.
 */
const FIRST_STEP_ROWS = 8;
const STEP_MS = 4;

/** Rows for the next step, from the time the rows so far took (ms); between 4 and 100. */
export function nextStepRows(rowsDone: number, msSpent: number): number {
  if (!(rowsDone > 0) || !(msSpent > 0)) return FIRST_STEP_ROWS;
  return Math.max(4, Math.min(100, Math.floor((STEP_MS * rowsDone) / msSpent)));
}

export function sortStats(stats: readonly FunctionStat[], key: SortKey, descending: boolean): FunctionStat[] {
  const dir = descending ? -1 : 1;
  return [...stats].sort((a, b) => {
    const c = key === 'name' ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a[key] - b[key];
    return c !== 0 ? c * dir : a.name < b.name ? -1 : 1;
  });
}

export function percentText(v: number, total: number): string {
  if (!(total > 0)) return '0%';
  const p = (100 * v) / total;
  return p >= 10 ? `${p.toFixed(1)}%` : p >= 0.01 ? `${p.toFixed(2)}%` : p > 0 ? '<0.01%' : '0%';
}

/**
 * A count with thousands separators ("1,234,567"; fractions kept to 2 places). Not toLocaleString: its first
 * call loads the locale's number data, about 40 ms on a slow machine, which the first frame would pay.
 */
export function countText(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const neg = v < 0;
  const abs = Math.abs(v);
  const whole = Math.floor(abs);
  const frac = abs - whole;
  let digits = String(whole);
  let out = '';
  while (digits.length > 3) {
    out = `,${digits.slice(-3)}${out}`;
    digits = digits.slice(0, -3);
  }
  const fracText = frac > 0 ? frac.toFixed(2).slice(1).replace(/0+$/, '').replace(/\.$/, '') : '';
  return `${neg ? '-' : ''}${digits}${out}${fracText}`;
}

export class FunctionTable {
  private sortKey: SortKey = 'self';
  private descending = true;
  private stats: readonly FunctionStat[] = [];
  private total = 0;
  private selectedFn = -1;
  private revealFn = -1;
  /** Called each time all rows of the current data and order are in the DOM. */
  onRendered: () => void = () => {};

  /**
   * @param runner renders the rows a few at a time between frames (the page stays responsive while a
   *   large profile's table is built); without it, rows are rendered at once
   */
  constructor(
    private readonly table: HTMLTableElement,
    private readonly onSelect: (fn: number) => void,
    private readonly onOpen: (fn: number) => void,
    private readonly runner?: SliceRunner,
  ) {
    table.tHead?.addEventListener('click', (e) => {
      const th = (e.target as HTMLElement).closest('th');
      const key = th?.dataset.sort as SortKey | undefined;
      if (!key) return;
      if (key === this.sortKey) this.descending = !this.descending;
      else {
        this.sortKey = key;
        this.descending = key !== 'name';
      }
      this.render();
    });
    const body = table.tBodies[0];
    const rowOf = (e: Event) => (e.target as HTMLElement).closest('tr');
    body.addEventListener('click', (e) => {
      const tr = rowOf(e);
      if (tr?.dataset.fn) this.onSelect(Number(tr.dataset.fn));
    });
    body.addEventListener('dblclick', (e) => {
      const tr = rowOf(e);
      if (tr?.dataset.fn) this.onOpen(Number(tr.dataset.fn));
    });
    body.addEventListener('keydown', (e) => {
      const tr = rowOf(e);
      if (!tr?.dataset.fn) return;
      if (e.key === 'Enter') this.onOpen(Number(tr.dataset.fn));
      else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        const next = (e.key === 'ArrowDown' ? tr.nextElementSibling : tr.previousElementSibling) as HTMLTableRowElement | null;
        if (next?.dataset.fn) {
          next.focus();
          this.onSelect(Number(next.dataset.fn));
        }
      } else return;
      e.preventDefault();
    });
  }

  /**
   * Lays out one throw-away row while the page waits for data: the first text layout of a page loads and
   * shapes the table's font, tens of ms that the first rows of a profile would otherwise pay.
   */
  warmUp(): void {
    const body = this.table.tBodies[0];
    if (body.rows.length > 0) return;
    const frag = this.rowsFragment([{ fn: -1, name: 'github.com/example/shop/catalog.(*Store).parseCatalog runtime.mallocgc [k] do_syscall_64 <>{}', self: 1, total: 2 }], 0, 1);
    const row = frag.firstElementChild as HTMLTableRowElement;
    row.style.visibility = 'hidden';
    body.append(frag);
    void body.offsetHeight;
    row.remove();
  }

  get sort(): { key: SortKey; descending: boolean } {
    return { key: this.sortKey, descending: this.descending };
  }

  setSort(key: SortKey, descending: boolean): void {
    this.sortKey = key;
    this.descending = descending;
  }

  setData(stats: readonly FunctionStat[], total: number): void {
    this.stats = stats;
    this.total = total;
    this.render();
  }

  get selected(): number {
    return this.selectedFn;
  }

  select(fn: number): void {
    this.selectedFn = fn;
    const rows = Array.from(this.table.tBodies[0].rows);
    const hasSelected = rows.some((tr) => Number(tr.dataset.fn) === fn);
    rows.forEach((tr, i) => {
      const on = Number(tr.dataset.fn) === fn;
      tr.classList.toggle('selected', on);
      tr.setAttribute('aria-selected', String(on));
      tr.tabIndex = on || (!hasSelected && i === 0) ? 0 : -1;
    });
  }

  /** Scrolls the function's row into view (when it is among the rows shown, or once its row is rendered). */
  reveal(fn: number): void {
    this.revealFn = this.scrollToRow(fn) || !this.rendering ? -1 : fn;
  }

  private scrollToRow(fn: number): boolean {
    const tr = Array.from(this.table.tBodies[0].rows).find((r) => Number(r.dataset.fn) === fn);
    tr?.scrollIntoView({ block: 'nearest' });
    return tr !== undefined;
  }

  /** True while rows are still being rendered. */
  get rendering(): boolean {
    return this.runner?.pending('table') ?? false;
  }

  private render(): void {
    if (this.runner) this.runner.run('table', this.renderSteps(), () => this.onRendered());
    else {
      drain(this.renderSteps());
      this.onRendered();
    }
  }

  private *renderSteps(): Generator<void> {
    for (const th of Array.from(this.table.tHead?.rows[0].cells ?? [])) {
      const active = th.dataset.sort === this.sortKey;
      th.setAttribute('aria-sort', active ? (this.descending ? 'descending' : 'ascending') : 'none');
    }
    const body = this.table.tBodies[0];
    const rows = sortStats(this.stats, this.sortKey, this.descending).slice(0, MAX_ROWS);
    if (rows.length === 0) body.replaceChildren();
    let spent = 0;
    for (let at = 0; at < rows.length; ) {
      const t0 = performance.now();
      const to = Math.min(rows.length, at + nextStepRows(at, spent));
      body[at === 0 ? 'replaceChildren' : 'append'](this.rowsFragment(rows, at, to));
      // Lay the new rows out now, inside this step, so the next frame's layout does not pay for all of
      // them at once (that was one 40 ms task for 300 rows on a cold page).
      void body.offsetHeight;
      if (at === 0) this.select(this.selectedFn);
      spent += performance.now() - t0;
      at = to;
      yield;
    }
    this.select(this.selectedFn);
    if (this.revealFn >= 0) this.scrollToRow(this.revealFn);
    this.revealFn = -1;
  }

  private rowsFragment(rows: readonly FunctionStat[], from: number, to: number): DocumentFragment {
    const frag = document.createDocumentFragment();
    for (let i = from; i < to; i++) {
      const s = rows[i];
      const tr = document.createElement('tr');
      tr.dataset.fn = String(s.fn);
      tr.tabIndex = -1;
      if (s.fn === this.selectedFn) tr.classList.add('selected');
      const name = document.createElement('td');
      name.textContent = s.name;
      name.title = s.name;
      const self = document.createElement('td');
      self.className = 'num';
      self.textContent = percentText(s.self, this.total);
      self.title = countText(s.self);
      const total = document.createElement('td');
      total.className = 'num';
      total.textContent = percentText(s.total, this.total);
      total.title = countText(s.total);
      tr.append(name, self, total);
      frag.append(tr);
    }
    return frag;
  }
}
