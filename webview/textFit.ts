// Fits labels into bars without calling measureText per label and frame (the slowest canvas call after
// fillText): each character's advance is measured once per font, a label's width is the sum. Good to a pixel
// or so for proportional fonts (kerning is ignored), exact for monospace; the renderer passes the available
// width to fillText as maxWidth, so an estimate that is a little short never spills out of its bar. Pure.

const ELLIPSIS = '…';

export class TextFitter {
  private readonly ascii = new Float64Array(128);
  private readonly other = new Map<number, number>();
  private readonly ellipsisWidth: number;

  /** `measure` returns the advance width of a string in the font this fitter is for. */
  constructor(private readonly measure: (text: string) => number) {
    for (let c = 32; c < 127; c++) this.ascii[c] = measure(String.fromCharCode(c));
    this.ellipsisWidth = measure(ELLIPSIS);
  }

  private charWidth(code: number): number {
    if (code < 128) return this.ascii[code];
    let w = this.other.get(code);
    if (w === undefined) {
      w = this.measure(String.fromCharCode(code));
      if (this.other.size < 4096) this.other.set(code, w);
    }
    return w;
  }

  width(text: string): number {
    let w = 0;
    for (let i = 0; i < text.length; i++) w += this.charWidth(text.charCodeAt(i));
    return w;
  }

  /** The label cut to fit `max` pixels, ending in an ellipsis when cut; '' when not even two characters fit. */
  fit(text: string, max: number): string {
    if (!(max > 0)) return '';
    let w = 0;
    let i = 0;
    for (; i < text.length; i++) {
      w += this.charWidth(text.charCodeAt(i));
      if (w > max) break;
    }
    if (i === text.length) return text;
    // Cut: walk back until the prefix plus the ellipsis fits.
    const room = max - this.ellipsisWidth;
    let n = i;
    w -= this.charWidth(text.charCodeAt(i));
    while (n > 0 && w > room) {
      n--;
      w -= this.charWidth(text.charCodeAt(n));
    }
    return n >= 2 ? text.slice(0, n) + ELLIPSIS : '';
  }
}
