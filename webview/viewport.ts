// What part of the graph is on screen: a horizontal window [x0, x1] in value units and a vertical scroll
// in pixels. Zoom at the pointer, pan, clamp. Pure.

export interface Viewport {
  readonly x0: number;
  readonly x1: number;
  /** Pixels scrolled away from the root row (toward the leaves). */
  readonly scrollY: number;
}

/** Narrowest window: zooming further would only show a single pixel of one sample. */
const MIN_SPAN_FRACTION = 1e-9;

export function fullView(total: number): Viewport {
  return { x0: 0, x1: total, scrollY: 0 };
}

export function clampView(v: Viewport, total: number, contentHeight: number, viewHeight: number): Viewport {
  let span = Math.min(Math.max(v.x1 - v.x0, total * MIN_SPAN_FRACTION), total);
  if (!(span > 0)) span = total;
  let x0 = Math.min(Math.max(v.x0, 0), total - span);
  if (!Number.isFinite(x0)) x0 = 0;
  const maxScroll = Math.max(0, contentHeight - viewHeight);
  const scrollY = Math.min(Math.max(v.scrollY, 0), maxScroll);
  return { x0, x1: x0 + span, scrollY };
}

/** Zooms by `factor` (>1 zooms in) keeping the value under the pointer (fraction 0..1 of width) in place. */
export function zoomAt(v: Viewport, pointerFraction: number, factor: number): Viewport {
  const span = v.x1 - v.x0;
  const anchor = v.x0 + span * pointerFraction;
  const next = span / factor;
  return { x0: anchor - next * pointerFraction, x1: anchor - next * pointerFraction + next, scrollY: v.scrollY };
}

/** Pans by a pixel delta (dragging right moves the view left). */
export function panBy(v: Viewport, dxPx: number, dyPx: number, widthPx: number): Viewport {
  const perPx = (v.x1 - v.x0) / widthPx;
  return { x0: v.x0 - dxPx * perPx, x1: v.x1 - dxPx * perPx, scrollY: v.scrollY - dyPx };
}

/** Shows exactly [start, start + width]. */
export function focusRange(v: Viewport, start: number, width: number): Viewport {
  return { x0: start, x1: start + width, scrollY: v.scrollY };
}

/** Keeps the span, moves its centre to `centre` (minimap drag). */
export function centreOn(v: Viewport, centre: number): Viewport {
  const half = (v.x1 - v.x0) / 2;
  return { x0: centre - half, x1: centre + half, scrollY: v.scrollY };
}
