// Draws a FlameTree onto a canvas for a viewport, and answers "which node is here" / "where is this node".
// Device-pixel-ratio aware. Nodes narrower than MIN_NODE_PX are not drawn one by one: consecutive tiny
// nodes of a row merge into one grey strip and their subtrees are skipped, so a 200k-node profile costs
// only what is visible.
import type { FlameTree } from './flameTree';
import type { Viewport } from './viewport';
import type { DiffResult } from './diffTree';
import { diffFill, fillFor, textOn, type Palette } from './palette';

export const ROW_HEIGHT = 18;
export const MIN_NODE_PX = 0.5;
const LABEL_MIN_PX = 22;
const LABEL_PAD = 4;

export type Orientation = 'icicle' | 'flame';

export interface RenderState {
  readonly tree: FlameTree;
  readonly view: Viewport;
  readonly orientation: Orientation;
  readonly palette: Palette;
  readonly selected: number;
  readonly hovered: number;
  readonly matches?: Uint8Array;
  readonly diff?: DiffResult;
}

export interface VisibleRect {
  readonly node: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly fill: string;
  readonly label?: string;
  readonly text?: string;
}

export interface DrawStats {
  readonly drawn: number;
  readonly merged: number;
}

export class FlameRenderer {
  private readonly ctx: CanvasRenderingContext2D;
  private cssWidth = 1;
  private cssHeight = 1;
  private dpr = 1;
  private fillCache = new Map<number, string>();
  private cachedFor: { tree?: FlameTree; palette?: Palette } = {};
  private patterns = new Map<string, CanvasPattern | null>();
  private textWidthCache = new Map<string, number>();

  constructor(readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('canvas 2d context unavailable');
    this.ctx = ctx;
  }

  get width(): number {
    return this.cssWidth;
  }
  get height(): number {
    return this.cssHeight;
  }

  /** Matches the backing store to the element's CSS size times devicePixelRatio. */
  resize(): void {
    const rect = this.canvas.getBoundingClientRect();
    this.dpr = window.devicePixelRatio || 1;
    this.cssWidth = Math.max(1, rect.width);
    this.cssHeight = Math.max(1, rect.height);
    const w = Math.round(this.cssWidth * this.dpr);
    const h = Math.round(this.cssHeight * this.dpr);
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
  }

  contentHeight(tree: FlameTree): number {
    return (tree.maxDepth + 1) * ROW_HEIGHT;
  }

  rowTop(depth: number, s: RenderState): number {
    return s.orientation === 'icicle'
      ? depth * ROW_HEIGHT - s.view.scrollY
      : this.cssHeight - (depth + 1) * ROW_HEIGHT + s.view.scrollY;
  }

  private depthAtY(y: number, s: RenderState): number {
    return s.orientation === 'icicle'
      ? Math.floor((y + s.view.scrollY) / ROW_HEIGHT)
      : Math.floor((this.cssHeight + s.view.scrollY - y) / ROW_HEIGHT);
  }

  /** Fill colour of node i (diff colour in compare mode). */
  fillOf(i: number, s: RenderState): string {
    const t = s.tree;
    if (s.diff) return diffFill(s.palette, s.diff.deltaShare[i], s.diff.maxAbsDelta);
    if (i === 0) return s.palette.root;
    if (this.cachedFor.tree !== t || this.cachedFor.palette !== s.palette) {
      this.fillCache = new Map();
      this.cachedFor = { tree: t, palette: s.palette };
    }
    const fn = t.fn[i];
    let f = this.fillCache.get(fn);
    if (f === undefined) this.fillCache.set(fn, (f = fillFor(s.palette, t.fnKinds[fn], t.fnNames[fn])));
    return f;
  }

  private pattern(kind: 'stripes' | 'dots', dark: boolean): CanvasPattern | null {
    const key = `${kind}${dark}`;
    if (!this.patterns.has(key)) {
      const c = document.createElement('canvas');
      c.width = c.height = 6;
      const g = c.getContext('2d')!;
      g.fillStyle = g.strokeStyle = dark ? 'rgba(0,0,0,0.45)' : 'rgba(255,255,255,0.6)';
      if (kind === 'stripes') {
        g.lineWidth = 1.5;
        g.beginPath();
        g.moveTo(0, 6);
        g.lineTo(6, 0);
        g.stroke();
      } else g.fillRect(2, 2, 2, 2);
      this.patterns.set(key, this.ctx.createPattern(c, 'repeat'));
    }
    return this.patterns.get(key) ?? null;
  }

  /** Walks the visible nodes; `emit` gets each drawn rect, `merged` each strip of tiny nodes. */
  private visit(s: RenderState, emit: (r: VisibleRect) => void, merged: (x: number, y: number, w: number) => void): void {
    const t = s.tree;
    const span = s.view.x1 - s.view.x0;
    if (!(span > 0)) return;
    const k = this.cssWidth / span;
    const x0 = s.view.x0;
    const W = this.cssWidth;
    const firstDepth = Math.max(0, s.orientation === 'icicle' ? this.depthAtY(0, s) : this.depthAtY(this.cssHeight, s));
    const lastDepth = s.orientation === 'icicle' ? this.depthAtY(this.cssHeight, s) : this.depthAtY(0, s);
    // One pending strip of tiny nodes per depth.
    const runStart = new Float64Array(t.maxDepth + 2).fill(NaN);
    const runEnd = new Float64Array(t.maxDepth + 2);
    const flush = (d: number) => {
      if (!Number.isNaN(runStart[d])) {
        const w = runEnd[d] - runStart[d];
        if (w >= MIN_NODE_PX && d >= firstDepth) merged(runStart[d], this.rowTop(d, s), w);
        runStart[d] = NaN;
      }
    };
    for (let i = 0; i < t.size; ) {
      const d = t.depth[i];
      if (d > lastDepth) {
        i = t.end[i];
        continue;
      }
      const x = (t.start[i] - x0) * k;
      const w = t.total[i] * k;
      if (x + w < 0 || x > W) {
        i = t.end[i];
        continue;
      }
      if (w < MIN_NODE_PX) {
        if (!Number.isNaN(runStart[d]) && x <= runEnd[d] + MIN_NODE_PX) runEnd[d] = x + w;
        else {
          flush(d);
          runStart[d] = x;
          runEnd[d] = x + w;
        }
        i = t.end[i];
        continue;
      }
      flush(d);
      if (d >= firstDepth) emit({ node: i, x, y: this.rowTop(d, s), w, h: ROW_HEIGHT, fill: this.fillOf(i, s) });
      i++;
    }
    for (let d = 0; d < runStart.length; d++) flush(d);
  }

  draw(s: RenderState): DrawStats {
    const ctx = this.ctx;
    const p = s.palette;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = p.background;
    ctx.fillRect(0, 0, this.cssWidth, this.cssHeight);
    ctx.font = p.font;
    ctx.textBaseline = 'middle';
    let drawn = 0;
    let mergedCount = 0;
    const labels: VisibleRect[] = [];
    const patterned: Array<{ r: VisibleRect; pat: CanvasPattern }> = [];
    const stripes = this.pattern('stripes', p.dark);
    const dots = this.pattern('dots', p.dark);
    let lastFill = '';
    this.visit(
      s,
      (r) => {
        drawn++;
        const faded = s.matches !== undefined && r.node !== 0 && !s.matches[r.node];
        if (faded) ctx.globalAlpha = 0.28;
        if (r.fill !== lastFill) ctx.fillStyle = lastFill = r.fill;
        const gap = r.w > 3 ? 1 : 0;
        ctx.fillRect(r.x, r.y, r.w - gap, r.h - 1);
        if (!s.diff) {
          const kind = s.tree.kind(r.node);
          const pat = kind === 'kernel' ? stripes : kind === 'unknown' ? dots : null;
          if (pat) patterned.push({ r, pat });
        }
        if (faded) ctx.globalAlpha = 1;
        if (r.w >= LABEL_MIN_PX) labels.push(r);
      },
      (x, y, w) => {
        mergedCount++;
        ctx.fillStyle = lastFill = p.merged;
        ctx.fillRect(x, y, Math.max(w, 1), ROW_HEIGHT - 1);
      },
    );
    for (const { r, pat } of patterned) {
      ctx.fillStyle = pat;
      ctx.fillRect(r.x, r.y, r.w - (r.w > 3 ? 1 : 0), r.h - 1);
    }
    if (p.border) {
      ctx.strokeStyle = p.border;
      ctx.lineWidth = 1;
      for (const r of labels) ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 2, r.h - 2);
    }
    for (const r of labels) {
      const faded = s.matches !== undefined && r.node !== 0 && !s.matches[r.node];
      const text = this.fitLabel(this.labelOf(r.node, s), r.w - 2 * LABEL_PAD);
      if (!text) continue;
      ctx.globalAlpha = faded ? 0.45 : 1;
      ctx.fillStyle = textOn(r.fill);
      ctx.fillText(text, Math.max(r.x, 0) + LABEL_PAD, r.y + ROW_HEIGHT / 2);
    }
    ctx.globalAlpha = 1;
    this.outline(s, s.hovered, p.foreground, 1);
    this.outline(s, s.selected, p.focus, 2);
    return { drawn, merged: mergedCount };
  }

  private labelOf(i: number, s: RenderState): string {
    if (i === 0) return `all (${s.tree.totalValue.toLocaleString()} ${s.tree.unit})`;
    return s.tree.name(i);
  }

  private measure(text: string): number {
    let w = this.textWidthCache.get(text);
    if (w === undefined) {
      w = this.ctx.measureText(text).width;
      if (this.textWidthCache.size > 20000) this.textWidthCache.clear();
      this.textWidthCache.set(text, w);
    }
    return w;
  }

  /** The label cut to fit `max` CSS pixels, with an ellipsis; '' when not even two characters fit. */
  fitLabel(label: string, max: number): string {
    if (max <= 0) return '';
    if (this.measure(label) <= max) return label;
    const avg = this.measure('abcdefghijklmnopqrstuvwxyz') / 26 || 7;
    let n = Math.min(label.length - 1, Math.floor(max / avg));
    while (n >= 2) {
      const t = label.slice(0, n) + '…';
      if (this.ctx.measureText(t).width <= max) return t;
      n--;
    }
    return '';
  }

  private outline(s: RenderState, node: number, colour: string, width: number): void {
    if (node < 0 || node >= s.tree.size) return;
    const r = this.nodeRect(node, s);
    if (!r) return;
    const ctx = this.ctx;
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    const x = Math.max(r.x, -width) + width / 2;
    const w = Math.min(r.x + r.w, this.cssWidth + width) - x - width / 2;
    ctx.strokeRect(x, r.y + width / 2, Math.max(w, 1), r.h - width);
  }

  /** CSS-pixel rectangle of a node relative to the canvas, or undefined when off screen. */
  nodeRect(node: number, s: RenderState): { x: number; y: number; w: number; h: number } | undefined {
    const t = s.tree;
    const k = this.cssWidth / (s.view.x1 - s.view.x0);
    const x = (t.start[node] - s.view.x0) * k;
    const w = t.total[node] * k;
    const y = this.rowTop(t.depth[node], s);
    if (x + w < 0 || x > this.cssWidth || y + ROW_HEIGHT < 0 || y > this.cssHeight) return undefined;
    return { x, y, w, h: ROW_HEIGHT };
  }

  /** Node under a CSS-pixel point, or -1. Descends from the root through the child covering x. */
  hit(xCss: number, yCss: number, s: RenderState): number {
    const t = s.tree;
    const d = this.depthAtY(yCss, s);
    if (d < 0 || d > t.maxDepth) return -1;
    const value = s.view.x0 + (xCss / this.cssWidth) * (s.view.x1 - s.view.x0);
    if (value < 0 || value > t.totalValue) return -1;
    let node = 0;
    while (t.depth[node] < d) {
      let next = -1;
      for (let c = node + 1; c < t.end[node]; c = t.end[c]) {
        if (value >= t.start[c] && value < t.start[c] + t.total[c]) {
          next = c;
          break;
        }
      }
      if (next < 0) return -1;
      node = next;
    }
    return node;
  }

  /** Every drawn rectangle with its label (for SVG export). */
  visibleRects(s: RenderState): VisibleRect[] {
    const out: VisibleRect[] = [];
    this.ctx.font = s.palette.font;
    this.visit(
      s,
      (r) => {
        const label = r.w >= LABEL_MIN_PX ? this.fitLabel(this.labelOf(r.node, s), r.w - 2 * LABEL_PAD) : '';
        out.push({ ...r, label: label || undefined, text: textOn(r.fill) });
      },
      (x, y, w) => out.push({ node: -1, x, y, w: Math.max(w, 1), h: ROW_HEIGHT, fill: s.palette.merged }),
    );
    return out;
  }
}
