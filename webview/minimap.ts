// The minimap: the whole graph at a glance with the current viewport drawn on top. The graph image is
// rendered once per tree/palette/size into an offscreen canvas; moving the viewport only redraws the box.
// Deep graphs (taller than the main view) also show and move the vertical part of the viewport: the box
// spans the visible rows, and dragging centres it on the pointer in both directions.
import type { FlameTree } from './flameTree';
import type { Viewport } from './viewport';
import type { Palette } from './palette';
import { cssToRgb, fillFor } from './palette';
import { CanvasSize } from './canvasSize';

export class Minimap {
  private readonly ctx: CanvasRenderingContext2D;
  private image: HTMLCanvasElement | undefined;
  private imageKey = '';
  readonly size: CanvasSize;

  constructor(readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d')!;
    this.size = new CanvasSize(canvas);
  }

  /**
   * The whole graph into a pixel buffer: one Uint32 fill per pixel row of each bar at least one device pixel
   * wide (narrower subtrees are skipped), then one putImageData. Canvas fillRect with a fillStyle per bar
   * cost 10-50 ms on a 200k-node profile; this is bounded by the minimap's pixel count.
   */
  private renderImage(tree: FlameTree, palette: Palette, flame: boolean, fillOf?: (i: number) => string): HTMLCanvasElement {
    const img = document.createElement('canvas');
    const W = (img.width = this.canvas.width);
    const H = (img.height = this.canvas.height);
    const g = img.getContext('2d')!;
    const data = g.createImageData(W, H);
    paintMinimap(new Uint32Array(data.data.buffer), W, H, tree, palette, flame, fillOf);
    g.putImageData(data, 0, 0);
    return img;
  }

  /**
   * @param rows the main view's visible rows as depths [top, bottom) (fractional); the box covers them when
   *   the graph is deeper than the main view
   */
  draw(tree: FlameTree, view: Viewport, palette: Palette, flame: boolean, key: string, rows: { top: number; bottom: number }, fillOf?: (i: number) => string): void {
    const fullKey = `${key}|${this.canvas.width}x${this.canvas.height}|${flame}`;
    if (!this.image || this.imageKey !== fullKey) {
      this.image = this.renderImage(tree, palette, flame, fillOf);
      this.imageKey = fullKey;
    }
    const c = this.ctx;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.drawImage(this.image, 0, 0);
    c.setTransform(this.size.dpr, 0, 0, this.size.dpr, 0, 0);
    const k = this.size.width / tree.totalValue;
    const x = view.x0 * k;
    const w = Math.max((view.x1 - view.x0) * k, 2);
    const { y, h } = this.rowsBox(tree, flame, rows);
    // Dim what is outside the viewport, frame what is inside.
    c.fillStyle = palette.dark ? 'rgba(0,0,0,0.45)' : 'rgba(255,255,255,0.55)';
    c.fillRect(0, 0, x, this.size.height);
    c.fillRect(x + w, 0, this.size.width - x - w, this.size.height);
    c.fillRect(x, 0, w, y);
    c.fillRect(x, y + h, w, this.size.height - y - h);
    c.strokeStyle = palette.focus;
    c.lineWidth = 2;
    c.strokeRect(x + 1, y + 1, w - 2, h - 2);
  }

  /** Vertical extent (CSS px) of the visible rows in the minimap; the full height when all rows are visible. */
  rowsBox(tree: FlameTree, flame: boolean, rows: { top: number; bottom: number }): { y: number; h: number } {
    const depthRows = tree.maxDepth + 1;
    const top = Math.max(0, rows.top);
    const bottom = Math.min(depthRows, rows.bottom);
    if (top <= 0 && bottom >= depthRows) return { y: 0, h: this.size.height };
    const rowH = this.size.height / depthRows;
    const h = Math.max((bottom - top) * rowH, 4);
    const y = flame ? this.size.height - bottom * rowH : top * rowH;
    return { y: Math.max(0, Math.min(y, this.size.height - h)), h };
  }

  /** Depth (fractional row) under a CSS y coordinate of the minimap. */
  depthAt(yCss: number, tree: FlameTree, flame: boolean): number {
    const f = Math.max(0, Math.min(1, yCss / this.size.height));
    return (flame ? 1 - f : f) * (tree.maxDepth + 1);
  }

  /** Value (x units) under a CSS x coordinate of the minimap. */
  valueAt(xCss: number, tree: FlameTree): number {
    return (xCss / this.size.width) * tree.totalValue;
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** An opaque CSS colour as one ImageData pixel (RGBA bytes in memory order); grey when unparsable. */
export function packColour(css: string): number {
  const c = cssToRgb(css) ?? { r: 128, g: 128, b: 128 };
  return LITTLE_ENDIAN ? ((255 << 24) | (c.b << 16) | (c.g << 8) | c.r) >>> 0 : ((c.r << 24) | (c.g << 16) | (c.b << 8) | 255) >>> 0;
}

/**
 * Paints the minimap image into `px` (W x H pixels, row-major): bars in their fill, rows of depth spread
 * over the height (several depths may share a pixel row: deeper ones are painted last), a one-pixel gap
 * after bars 3+ pixels wide and under rows 4+ pixels high. Pure apart from the colours: testable in Node.
 */
export function paintMinimap(px: Uint32Array, W: number, H: number, tree: FlameTree, palette: Palette, flame: boolean, fillOf?: (i: number) => string): void {
  px.fill(packColour(palette.background));
  const total = tree.totalValue;
  if (!(total > 0)) return;
  const k = W / total;
  const rowH = H / (tree.maxDepth + 1);
  const gapY = rowH > 3 ? 1 : 0;
  const fnColour = new Map<number, number>();
  const cssColour = new Map<string, number>();
  const start = tree.start, tot = tree.total, end = tree.end, depth = tree.depth, fn = tree.fn;
  for (let i = 1; i < tree.size; ) {
    const w = tot[i] * k;
    // Below one device pixel nothing more is visible here: skip the subtree.
    if (w < 1) {
      i = end[i];
      continue;
    }
    let colour: number | undefined;
    if (fillOf) {
      const css = fillOf(i);
      colour = cssColour.get(css);
      if (colour === undefined) cssColour.set(css, (colour = packColour(css)));
    } else {
      const f = fn[i];
      colour = fnColour.get(f);
      if (colour === undefined) fnColour.set(f, (colour = packColour(fillFor(palette, tree.fnKinds[f], tree.fnNames[f]))));
    }
    const left = start[i] * k;
    const x0 = Math.max(0, Math.floor(left));
    const x1 = Math.min(W, Math.max(x0 + 1, Math.round(left + w) - (w >= 3 ? 1 : 0)));
    const d = depth[i];
    const top = flame ? H - (d + 1) * rowH : d * rowH;
    const y0 = Math.max(0, Math.floor(top));
    const y1 = Math.min(H, Math.max(y0 + 1, Math.round(top + rowH) - gapY));
    for (let y = y0; y < y1; y++) px.fill(colour, y * W + x0, y * W + x1);
    i++;
  }
}
