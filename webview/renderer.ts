// Draws a FlameTree onto a canvas for a viewport, and answers "which node is here" / "where is this node".
// Device-pixel-ratio aware. Nodes narrower than MIN_NODE_PX are not drawn one by one: consecutive tiny
// nodes of a row merge into one grey strip and their subtrees are skipped, so a 200k-node profile costs
// only what is visible.
//
// A frame must fit in a few milliseconds: the visible bars are collected into reused typed buffers (no
// objects per bar), drawn grouped by colour (one fillStyle per colour, see nodeColours.ts), and labels are
// fitted with a per-font character width table (textFit.ts) instead of measureText per label.
import type { FlameTree } from './flameTree';
import type { Viewport } from './viewport';
import type { DiffResult } from './diffTree';
import { textOn, type Palette } from './palette';
import { nodeColours, type NodeColours } from './nodeColours';
import { TextFitter } from './textFit';
import { countText } from './functionTable';
import { CanvasSize } from './canvasSize';

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
  /** Function whose every visible bar gets a dashed outline (the selected one), or -1. */
  readonly highlightFn?: number;
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
  /** Kept by main.ts's resize handling; read by every draw. */
  readonly size: CanvasSize;
  private colours: NodeColours | undefined;
  private coloursFor: { tree?: FlameTree; palette?: Palette; diff?: DiffResult } = {};
  private readonly patterns = new Map<string, CanvasPattern | null>();
  private readonly fitters = new Map<string, TextFitter>();
  private rootLabel = { tree: undefined as FlameTree | undefined, text: '' };
  // Per-frame buffers, reused and grown: one entry per visible bar or merged strip (node -1).
  private bufNode = new Int32Array(4096);
  private bufX = new Float64Array(4096);
  private bufW = new Float64Array(4096);
  private bufDepth = new Int32Array(4096);
  private runStart = new Float64Array(64);
  private runEnd = new Float64Array(64);
  private counts = new Int32Array(64);
  private order = new Int32Array(4096);
  private labelRect: number[] = [];
  private labelText: string[] = [];

  constructor(readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('canvas 2d context unavailable');
    this.ctx = ctx;
    this.size = new CanvasSize(canvas);
  }

  contentHeight(tree: FlameTree): number {
    return (tree.maxDepth + 1) * ROW_HEIGHT;
  }

  rowTop(depth: number, s: RenderState): number {
    return s.orientation === 'icicle'
      ? depth * ROW_HEIGHT - s.view.scrollY
      : this.size.height - (depth + 1) * ROW_HEIGHT + s.view.scrollY;
  }

  private depthAtY(y: number, s: RenderState): number {
    return s.orientation === 'icicle'
      ? Math.floor((y + s.view.scrollY) / ROW_HEIGHT)
      : Math.floor((this.size.height + s.view.scrollY - y) / ROW_HEIGHT);
  }

  private coloursOf(s: RenderState): NodeColours {
    const f = this.coloursFor;
    if (!this.colours || f.tree !== s.tree || f.palette !== s.palette || f.diff !== s.diff) {
      this.colours = nodeColours(s.tree, s.palette, s.diff);
      this.coloursFor = { tree: s.tree, palette: s.palette, diff: s.diff };
    }
    return this.colours;
  }

  /** Fill colour of node i (diff colour in compare mode). */
  fillOf(i: number, s: RenderState): string {
    const c = this.coloursOf(s);
    return c.fill(c.indexOf(i));
  }

  /** Data-independent set-up (font measurements, patterns), done ahead of the first draw when there is time. */
  prepare(p: Palette): void {
    // Paint the empty canvas in the theme's background: this also allocates its backing store now.
    this.size.resize();
    this.ctx.setTransform(this.size.dpr, 0, 0, this.size.dpr, 0, 0);
    this.ctx.fillStyle = p.background;
    this.ctx.fillRect(0, 0, this.size.width, this.size.height);
    this.fitter(p.font);
    // Rasterise the label glyphs once, then paint over them: the first fillText of each glyph is slow, and
    // text outside the canvas is culled before its glyphs are made.
    let ascii = '';
    for (let c = 32; c < 127; c++) ascii += String.fromCharCode(c);
    this.ctx.font = p.font;
    this.ctx.textBaseline = 'middle';
    for (const colour of ['#000000', '#ffffff']) {
      this.ctx.fillStyle = colour;
      this.ctx.fillText(ascii + '…', 0, ROW_HEIGHT / 2, this.size.width);
    }
    this.ctx.fillStyle = p.background;
    this.ctx.fillRect(0, 0, this.size.width, this.size.height);
    this.pattern('stripes', p.dark);
    this.pattern('dots', p.dark);
  }

  private fitter(font: string): TextFitter {
    let f = this.fitters.get(font);
    if (!f) {
      const ctx = this.ctx;
      ctx.font = font;
      f = new TextFitter((t) => ctx.measureText(t).width);
      this.fitters.set(font, f);
    }
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

  private push(count: number, node: number, x: number, w: number, depth: number): number {
    if (count === this.bufNode.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.bufNode = grow(this.bufNode, (n) => new Int32Array(n));
      this.bufX = grow(this.bufX, (n) => new Float64Array(n));
      this.bufW = grow(this.bufW, (n) => new Float64Array(n));
      this.bufDepth = grow(this.bufDepth, (n) => new Int32Array(n));
    }
    this.bufNode[count] = node;
    this.bufX[count] = x;
    this.bufW[count] = w;
    this.bufDepth[count] = depth;
    return count + 1;
  }

  /**
   * Collects the visible bars into the buffers (node -1: a strip of merged tiny nodes) and returns how many.
   * Walks preorder and skips whole subtrees that are off screen, below the last visible row, or tiny.
   */
  private visit(s: RenderState): number {
    const t = s.tree;
    const span = s.view.x1 - s.view.x0;
    if (!(span > 0)) return 0;
    const k = this.size.width / span;
    const x0 = s.view.x0;
    const W = this.size.width;
    const firstDepth = Math.max(0, s.orientation === 'icicle' ? this.depthAtY(0, s) : this.depthAtY(this.size.height, s));
    const lastDepth = Math.min(t.maxDepth, s.orientation === 'icicle' ? this.depthAtY(this.size.height, s) : this.depthAtY(0, s));
    // One pending strip of tiny nodes per depth.
    if (this.runStart.length < lastDepth + 2) {
      this.runStart = new Float64Array(lastDepth + 2);
      this.runEnd = new Float64Array(lastDepth + 2);
    }
    const runStart = this.runStart, runEnd = this.runEnd;
    runStart.fill(NaN, 0, lastDepth + 2);
    const depth = t.depth, start = t.start, total = t.total, end = t.end;
    let count = 0;
    const flush = (d: number) => {
      const rs = runStart[d];
      if (rs === rs) {
        const w = runEnd[d] - rs;
        if (w >= MIN_NODE_PX && d >= firstDepth) count = this.push(count, -1, rs, w, d);
        runStart[d] = NaN;
      }
    };
    for (let i = 0; i < t.size; ) {
      const d = depth[i];
      if (d > lastDepth) {
        i = end[i];
        continue;
      }
      const x = (start[i] - x0) * k;
      const w = total[i] * k;
      if (x + w < 0 || x > W) {
        i = end[i];
        continue;
      }
      if (w < MIN_NODE_PX) {
        const rs = runStart[d];
        if (rs === rs && x <= runEnd[d] + MIN_NODE_PX) runEnd[d] = x + w;
        else {
          flush(d);
          runStart[d] = x;
          runEnd[d] = x + w;
        }
        i = end[i];
        continue;
      }
      flush(d);
      if (d >= firstDepth) count = this.push(count, i, x, w, d);
      i++;
    }
    for (let d = 0; d <= lastDepth; d++) flush(d);
    return count;
  }

  draw(s: RenderState): DrawStats {
    const ctx = this.ctx;
    const p = s.palette;
    const t = s.tree;
    const count = this.visit(s);
    const colours = this.coloursOf(s);
    const nodeOf = this.bufNode, bx = this.bufX, bw = this.bufW, bd = this.bufDepth;
    const matches = s.matches;
    ctx.setTransform(this.size.dpr, 0, 0, this.size.dpr, 0, 0);
    ctx.globalAlpha = 1;
    ctx.fillStyle = p.background;
    ctx.fillRect(0, 0, this.size.width, this.size.height);

    // Bars, grouped by (colour, faded) with a counting sort over the buffer.
    const keys = colours.count * 2;
    if (this.counts.length < keys + 1) this.counts = new Int32Array(keys + 1);
    if (this.order.length < count) this.order = new Int32Array(this.bufNode.length);
    const counts = this.counts, order = this.order, colourOf = colours.table, colourOffset = colours.offset;
    counts.fill(0, 0, keys + 1);
    let drawn = 0;
    let merged = 0;
    for (let r = 0; r < count; r++) {
      const node = nodeOf[r];
      if (node < 0) continue;
      const faded = matches !== undefined && node !== 0 && !matches[node] ? 1 : 0;
      counts[(colourOf[node] + colourOffset) * 2 + faded + 1]++;
      drawn++;
    }
    for (let key = 0; key < keys; key++) counts[key + 1] += counts[key];
    for (let r = 0; r < count; r++) {
      const node = nodeOf[r];
      if (node < 0) continue;
      const faded = matches !== undefined && node !== 0 && !matches[node] ? 1 : 0;
      order[counts[(colourOf[node] + colourOffset) * 2 + faded]++] = r;
    }
    // One path per colour: a single fill() of many rects costs far less than a fillRect call per bar.
    let lastKey = -1;
    for (let j = 0; j < drawn; j++) {
      const r = order[j];
      const node = nodeOf[r];
      const faded = matches !== undefined && node !== 0 && !matches[node] ? 1 : 0;
      const key = (colourOf[node] + colourOffset) * 2 + faded;
      if (key !== lastKey) {
        if (lastKey >= 0) ctx.fill();
        ctx.fillStyle = colours.fill(colourOf[node] + colourOffset);
        ctx.globalAlpha = faded ? 0.28 : 1;
        ctx.beginPath();
        lastKey = key;
      }
      const w = bw[r];
      ctx.rect(bx[r], this.rowTop(bd[r], s), w - (w > 3 ? 1 : 0), ROW_HEIGHT - 1);
    }
    if (lastKey >= 0) ctx.fill();
    ctx.globalAlpha = 1;
    ctx.fillStyle = p.merged;
    for (let r = 0; r < count; r++) {
      if (nodeOf[r] >= 0) continue;
      merged++;
      ctx.fillRect(bx[r], this.rowTop(bd[r], s), Math.max(bw[r], 1), ROW_HEIGHT - 1);
    }
    // Kernel and unsymbolized frames carry a pattern too (colour-blind users, greyscale prints).
    if (!s.diff) {
      for (const [kind, pat] of [['kernel', this.pattern('stripes', p.dark)], ['unknown', this.pattern('dots', p.dark)]] as const) {
        if (!pat) continue;
        let set = false;
        for (let r = 0; r < count; r++) {
          const node = nodeOf[r];
          if (node <= 0 || t.fnKinds[t.fn[node]] !== kind) continue;
          if (!set) ctx.fillStyle = pat;
          set = true;
          const w = bw[r];
          ctx.fillRect(bx[r], this.rowTop(bd[r], s), w - (w > 3 ? 1 : 0), ROW_HEIGHT - 1);
        }
      }
    }
    if (p.border) {
      ctx.strokeStyle = p.border;
      ctx.lineWidth = 1;
      for (let r = 0; r < count; r++) {
        if (nodeOf[r] < 0 || bw[r] < LABEL_MIN_PX) continue;
        ctx.strokeRect(bx[r] + 0.5, this.rowTop(bd[r], s) + 0.5, bw[r] - 2, ROW_HEIGHT - 2);
      }
    }
    this.drawLabels(s, count, colours);
    ctx.globalAlpha = 1;
    if (s.highlightFn !== undefined && s.highlightFn >= 0) {
      ctx.strokeStyle = p.focus;
      ctx.lineWidth = 1;
      ctx.setLineDash([3, 2]);
      for (let r = 0; r < count; r++) {
        const node = nodeOf[r];
        if (node <= 0 || t.fn[node] !== s.highlightFn || node === s.selected) continue;
        ctx.strokeRect(bx[r] + 0.5, this.rowTop(bd[r], s) + 0.5, Math.max(bw[r] - 1, 1), ROW_HEIGHT - 2);
      }
      ctx.setLineDash([]);
    }
    this.outline(s, s.hovered, p.foreground, 1);
    this.outline(s, s.selected, p.focus, 2);
    return { drawn, merged };
  }

  /** Labels of the bars wide enough, fitted to the bar's visible part, drawn in up to four style passes. */
  private drawLabels(s: RenderState, count: number, colours: NodeColours): void {
    const ctx = this.ctx;
    ctx.font = s.palette.font;
    ctx.textBaseline = 'middle';
    const fitter = this.fitter(s.palette.font);
    const nodeOf = this.bufNode, bx = this.bufX, bw = this.bufW;
    const rects = this.labelRect, texts = this.labelText;
    rects.length = 0;
    texts.length = 0;
    for (let r = 0; r < count; r++) {
      const node = nodeOf[r];
      if (node < 0 || bw[r] < LABEL_MIN_PX) continue;
      const left = Math.max(bx[r], 0);
      const room = Math.min(bx[r] + bw[r], this.size.width) - left - 2 * LABEL_PAD;
      const text = fitter.fit(this.labelOf(node, s), room);
      if (!text) continue;
      rects.push(r);
      texts.push(text);
    }
    const matches = s.matches;
    for (const colour of ['#000000', '#ffffff']) {
      for (const faded of [false, true]) {
        let set = false;
        for (let j = 0; j < rects.length; j++) {
          const r = rects[j];
          const node = nodeOf[r];
          const isFaded = matches !== undefined && node !== 0 && !matches[node];
          if (isFaded !== faded || colours.text(colours.indexOf(node)) !== colour) continue;
          if (!set) {
            ctx.fillStyle = colour;
            ctx.globalAlpha = faded ? 0.45 : 1;
            set = true;
          }
          const left = Math.max(bx[r], 0);
          const room = Math.min(bx[r] + bw[r], this.size.width) - left - 2 * LABEL_PAD;
          ctx.fillText(texts[j], left + LABEL_PAD, this.rowTop(this.bufDepth[r], s) + ROW_HEIGHT / 2, room);
        }
      }
    }
  }

  private labelOf(i: number, s: RenderState): string {
    if (i !== 0) return s.tree.name(i);
    if (this.rootLabel.tree !== s.tree) this.rootLabel = { tree: s.tree, text: `all (${countText(s.tree.totalValue)} ${s.tree.unit})` };
    return this.rootLabel.text;
  }

  private outline(s: RenderState, node: number, colour: string, width: number): void {
    if (node < 0 || node >= s.tree.size) return;
    const r = this.nodeRect(node, s);
    if (!r) return;
    const ctx = this.ctx;
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    const x = Math.max(r.x, -width) + width / 2;
    const w = Math.min(r.x + r.w, this.size.width + width) - x - width / 2;
    ctx.strokeRect(x, r.y + width / 2, Math.max(w, 1), r.h - width);
  }

  /** CSS-pixel rectangle of a node relative to the canvas, or undefined when off screen. */
  nodeRect(node: number, s: RenderState): { x: number; y: number; w: number; h: number } | undefined {
    const t = s.tree;
    const k = this.size.width / (s.view.x1 - s.view.x0);
    const x = (t.start[node] - s.view.x0) * k;
    const w = t.total[node] * k;
    const y = this.rowTop(t.depth[node], s);
    if (x + w < 0 || x > this.size.width || y + ROW_HEIGHT < 0 || y > this.size.height) return undefined;
    return { x, y, w, h: ROW_HEIGHT };
  }

  /** Node under a CSS-pixel point, or -1. Descends from the root through the child covering x. */
  hit(xCss: number, yCss: number, s: RenderState): number {
    const t = s.tree;
    const d = this.depthAtY(yCss, s);
    if (d < 0 || d > t.maxDepth) return -1;
    const value = s.view.x0 + (xCss / this.size.width) * (s.view.x1 - s.view.x0);
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
    const count = this.visit(s);
    const fitter = this.fitter(s.palette.font);
    for (let r = 0; r < count; r++) {
      const node = this.bufNode[r];
      const x = this.bufX[r];
      const w = this.bufW[r];
      const y = this.rowTop(this.bufDepth[r], s);
      if (node < 0) {
        out.push({ node: -1, x, y, w: Math.max(w, 1), h: ROW_HEIGHT, fill: s.palette.merged });
        continue;
      }
      const fill = this.fillOf(node, s);
      const room = Math.min(x + w, this.size.width) - Math.max(x, 0) - 2 * LABEL_PAD;
      const label = w >= LABEL_MIN_PX ? fitter.fit(this.labelOf(node, s), room) : '';
      out.push({ node, x, y, w, h: ROW_HEIGHT, fill, label: label || undefined, text: textOn(fill) });
    }
    return out;
  }
}
