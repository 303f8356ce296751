// The size of a canvas the flamegraph draws on (the graph, the sandwich panes, the minimap): its backing
// store kept at the element's CSS size times devicePixelRatio, so that bars and text stay sharp on HiDPI
// screens.

export class CanvasSize {
  /** CSS pixels, as last read (before the first resize: 1 x 1). */
  width = 1;
  height = 1;
  dpr = 1;
  private dirty = true;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** The element's size may have changed (ResizeObserver): the next resize() reads it again. */
  markResized(): void {
    this.dirty = true;
  }

  /**
   * Matches the backing store to the element. Reads layout only after markResized() (or a DPR change):
   * getBoundingClientRect in every frame would force a layout each time, and setting canvas.width clears and
   * reallocates the store even when the value is the same.
   */
  resize(): void {
    const dpr = window.devicePixelRatio || 1;
    if (!this.dirty && dpr === this.dpr) return;
    this.dirty = false;
    const rect = this.canvas.getBoundingClientRect();
    this.dpr = dpr;
    this.width = Math.max(1, rect.width);
    this.height = Math.max(1, rect.height);
    const w = Math.round(this.width * dpr);
    const h = Math.round(this.height * dpr);
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
  }
}
