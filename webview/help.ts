// The "?" help: every mouse gesture and keyboard shortcut of the flamegraph, in one list that the help
// popover renders (and the page test reads), so the documentation cannot drift from a second copy.

export interface Gesture {
  readonly keys: string;
  readonly does: string;
}

export const GESTURES: ReadonlyArray<{ readonly group: string; readonly items: readonly Gesture[] }> = [
  {
    group: 'Mouse',
    items: [
      { keys: 'Click', does: 'Zoom to the frame (click the bottom "all" bar to reset)' },
      { keys: 'Double-click', does: 'Open the frame\'s source beside the graph' },
      { keys: 'Ctrl/Cmd+click', does: 'Centre on the frame, keeping the zoom level' },
      { keys: 'Right-click', does: 'Menu: zoom, open source, copy stack, callers and callees, search' },
      { keys: 'Wheel / pinch', does: 'Zoom at the pointer' },
      { keys: 'Drag, Shift+wheel', does: 'Pan; scroll rows of deep graphs' },
      { keys: 'Minimap click / drag', does: 'Move the view there (also up and down in deep graphs)' },
    ],
  },
  {
    group: 'Keyboard (graph focused)',
    items: [
      { keys: '← ↑ → ↓', does: 'Move between frames (parent, widest child, neighbours)' },
      { keys: 'Enter', does: 'Zoom to the selected frame' },
      { keys: 'Escape', does: 'Reset zoom (in callers/callees: back to the graph)' },
      { keys: 'C', does: 'Centre on the selected frame' },
      { keys: 'O, Ctrl/Cmd+Enter', does: 'Open the selected frame\'s source' },
      { keys: 'S', does: 'Callers and callees of the selected function (sandwich)' },
      { keys: '/', does: 'Search (regular expression; Aa toggles case)' },
      { keys: '+ / −', does: 'Zoom in / out' },
      { keys: '?', does: 'This help' },
    ],
  },
  {
    group: 'Functions table',
    items: [
      { keys: 'Click a row, ↑ ↓', does: 'Select the function and zoom to its widest frame' },
      { keys: 'Enter, double-click', does: 'Open the source of its heaviest frame' },
      { keys: 'Click a column', does: 'Sort by it (again: reverse)' },
    ],
  },
];

/** Fills the help popover. */
export function renderHelp(box: HTMLElement): void {
  const parts: HTMLElement[] = [];
  const head = document.createElement('h2');
  head.textContent = 'Gestures and shortcuts';
  parts.push(head);
  for (const { group, items } of GESTURES) {
    const h = document.createElement('h3');
    h.textContent = group;
    const dl = document.createElement('dl');
    for (const g of items) {
      const dt = document.createElement('dt');
      const kbd = document.createElement('kbd');
      kbd.textContent = g.keys;
      dt.append(kbd);
      const dd = document.createElement('dd');
      dd.textContent = g.does;
      dl.append(dt, dd);
    }
    parts.push(h, dl);
  }
  const close = document.createElement('div');
  close.className = 'help-close';
  close.textContent = 'Escape or ? closes this.';
  parts.push(close);
  box.replaceChildren(...parts);
}
